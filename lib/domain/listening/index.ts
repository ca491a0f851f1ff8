export * from "./events";
export * from "./summarize";
