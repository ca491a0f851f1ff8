export * from "./identityLeak";
export * from "./outcomes";
export * from "./voteValidity";
