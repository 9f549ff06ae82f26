export { databaseMemory } from "./database-memory.ts";
export { translatorService } from "./handlers.ts";
export { translateArticle } from "./translate-article.ts";
