export * from "./sample-battle-pair";
