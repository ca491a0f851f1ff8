export * from "./annotator-quality";
export * from "./binomial-test";
