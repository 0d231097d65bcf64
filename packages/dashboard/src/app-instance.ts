import { App } from "./store/app-store.ts";

export const app = new App();
