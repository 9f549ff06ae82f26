import { describe, expect, it } from "vitest";
import { contradictedLanguage } from "./detect-language.ts";

/** News copy in languages franc-min has no model of, each well over the 200 characters a doubt needs. */
const UNMODELED: Array<[declared: string, text: string]> = [
  [
    "gl",
    "O Goberno galego anunciou onte que as axudas para as familias afectadas polos incendios chegarán antes do verán. A conselleira explicou que os concellos terán que presentar as solicitudes nas próximas semanas e que o diñeiro servirá para reconstruír as vivendas danadas.",
  ],
  [
    "eu",
    "Eusko Jaurlaritzak atzo iragarri zuen suteek kaltetutako familientzako laguntzak udara baino lehen iritsiko direla. Sailburuak azaldu zuenez, udalek datozen asteetan aurkeztu beharko dituzte eskaerak, eta diruarekin kaltetutako etxebizitzak berreraikiko dira herri guztietan.",
  ],
  [
    "sk",
    "Slovenská vláda včera oznámila, že pomoc pre rodiny postihnuté požiarmi príde ešte pred letom. Ministerka vysvetlila, že obce budú musieť podať žiadosti v najbližších týždňoch a peniaze poslúžia na obnovu poškodených domov vo všetkých regiónoch krajiny.",
  ],
  [
    "nb",
    "Regjeringen kunngjorde i går at støtten til familiene som ble rammet av brannene, skal komme før sommeren. Statsråden forklarte at kommunene må sende inn søknadene i løpet av de neste ukene, og at pengene skal brukes til å bygge opp igjen de skadde boligene.",
  ],
];

describe("a declared language is overruled only by a detector that knows it", () => {
  it.each(UNMODELED)("keeps a %s declaration franc-min cannot score", (declared, text) => {
    expect(text.length).toBeGreaterThan(200);
    expect(contradictedLanguage(text, declared)).toBeNull();
  });

  it("still overrules a declaration franc-min knows to be wrong", () => {
    const english =
      "The government announced yesterday that aid for the families affected by the fires will arrive before the summer. The minister explained that the councils will have to submit their applications in the coming weeks and that the money will be used to rebuild the damaged homes.";
    expect(contradictedLanguage(english, "es")).toBe("en");
  });
});
