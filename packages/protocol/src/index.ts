export * from "./claude.ts";
export * from "./decisions.ts";
export * from "./errors.ts";
export * from "./konsole.ts";
export * from "./konui.ts";
export * from "./observer.ts";
export * from "./parser-refusal.ts";
