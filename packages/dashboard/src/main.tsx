import { render } from "preact";
import { app } from "./app-instance.ts";
import { Root } from "./root.tsx";
import "./styles.css";

const mount = document.getElementById("app");
if (mount) render(<Root />, mount);
void app.init();
