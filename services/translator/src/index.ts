export { translatorService } from "./handlers.ts";
