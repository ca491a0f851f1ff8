export * from "./annotatorQuality";
export * from "./binomialTest";
