export * from "./conversation";
export * from "./countries";
export * from "./describe";
export * from "./facts";
export * from "./fields";
export * from "./languages";
export * from "./schema";
export * from "./template";
