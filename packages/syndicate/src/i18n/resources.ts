/**
 * Strings partners read in their own language. Language names come from Intl.DisplayNames,
 * so only sentences live here.
 */
export const RESOURCES: Readonly<Record<string, Readonly<Record<string, string>>>> = deepFreeze({
  en: {
    "feed.title": "Babelwire — news in {{language}}",
    "feed.description": "Agency news translated into {{language}} by Babelwire.",
    "attribution.machine": "Source: {{agency}}. Original ({{language}}): {{url}}. Machine translation.",
    "attribution.reviewed":
      "Source: {{agency}}. Original ({{language}}): {{url}}. Translated and reviewed by an editor.",
    "rights.terms": "Licensed to Babelwire partners for republication; credit {{agency}} and keep the attribution.",
  },
  es: {
    "feed.title": "Babelwire — noticias en {{language}}",
    "feed.description": "Noticias de agencia traducidas al {{language}} por Babelwire.",
    "attribution.machine": "Fuente: {{agency}}. Original ({{language}}): {{url}}. Traducción automática.",
    "attribution.reviewed": "Fuente: {{agency}}. Original ({{language}}): {{url}}. Traducido y revisado por un editor.",
    "rights.terms":
      "Licencia de republicación para los socios de Babelwire; cite a {{agency}} y mantenga la atribución.",
  },
  ca: {
    "feed.title": "Babelwire — notícies en {{language}}",
    "feed.description": "Notícies d'agència traduïdes al {{language}} per Babelwire.",
    "attribution.machine": "Font: {{agency}}. Original ({{language}}): {{url}}. Traducció automàtica.",
    "attribution.reviewed": "Font: {{agency}}. Original ({{language}}): {{url}}. Traduït i revisat per un editor.",
    "rights.terms": "Llicència de republicació per als socis de Babelwire; citeu {{agency}} i mantingueu l'atribució.",
  },
  uk: {
    "feed.title": "Babelwire — новини мовою: {{language}}",
    "feed.description": "Новини агентств, перекладені Babelwire мовою: {{language}}.",
    "attribution.machine": "Джерело: {{agency}}. Оригінал ({{language}}): {{url}}. Машинний переклад.",
    "attribution.reviewed":
      "Джерело: {{agency}}. Оригінал ({{language}}): {{url}}. Перекладено й перевірено редактором.",
    "rights.terms": "Ліцензовано партнерам Babelwire для передруку; посилайтеся на {{agency}} і зберігайте атрибуцію.",
  },
  ru: {
    "feed.title": "Babelwire — новости на языке: {{language}}",
    "feed.description": "Новости агентств в переводе Babelwire на язык: {{language}}.",
    "attribution.machine": "Источник: {{agency}}. Оригинал ({{language}}): {{url}}. Машинный перевод.",
    "attribution.reviewed":
      "Источник: {{agency}}. Оригинал ({{language}}): {{url}}. Переведено и проверено редактором.",
    "rights.terms":
      "Лицензировано партнёрам Babelwire для перепечатки; ссылайтесь на {{agency}} и сохраняйте атрибуцию.",
  },
  de: {
    "feed.title": "Babelwire — Nachrichten auf {{language}}",
    "feed.description": "Agenturmeldungen, von Babelwire ins {{language}} übersetzt.",
    "attribution.machine": "Quelle: {{agency}}. Original ({{language}}): {{url}}. Maschinelle Übersetzung.",
    "attribution.reviewed":
      "Quelle: {{agency}}. Original ({{language}}): {{url}}. Übersetzt und von einer Redaktion geprüft.",
    "rights.terms":
      "Zur Weiterveröffentlichung an Babelwire-Partner lizenziert; {{agency}} nennen und den Quellenhinweis beibehalten.",
  },
  fr: {
    "feed.title": "Babelwire — actualités en {{language}}",
    "feed.description": "Dépêches d'agence traduites en {{language}} par Babelwire.",
    "attribution.machine": "Source : {{agency}}. Original ({{language}}) : {{url}}. Traduction automatique.",
    "attribution.reviewed": "Source : {{agency}}. Original ({{language}}) : {{url}}. Traduit et relu par un rédacteur.",
    "rights.terms":
      "Reproduction réservée aux partenaires de Babelwire ; citer {{agency}} et conserver la mention de source.",
  },
});

function deepFreeze<T extends Record<string, Record<string, string>>>(strings: T): T {
  for (const language of Object.values(strings)) Object.freeze(language);
  return Object.freeze(strings);
}
