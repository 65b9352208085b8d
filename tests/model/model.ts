// The model-based test of the three resources: the world and its invariants, and the commands that drive it.
export * from "./world";
export * from "./commands";
