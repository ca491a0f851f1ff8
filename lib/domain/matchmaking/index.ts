export * from "./sampleBattlePair";
