export * from "./identity-leak";
export * from "./outcomes";
export * from "./vote-validity";
