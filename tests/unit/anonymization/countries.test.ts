import { describe, expect, it } from "vitest";
import { COUNTRY_REGIONS, regionOfCountry } from "@/lib/domain/anonymization/countries";

describe("country regions", () => {
  it("covers all 249 ISO 3166-1 codes plus XK", () => {
    expect(COUNTRY_REGIONS.size).toBe(250);
  });

  it("lists each code once with a two-letter upper-case code", () => {
    for (const code of COUNTRY_REGIONS.keys()) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it("knows every region code that the runtime's ICU names, except deprecated and grouping codes", () => {
    const names = new Intl.DisplayNames(["en"], { type: "region" });
    const notCountries = new Set("AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ".split(" "));
    for (let first = 65; first <= 90; first++) {
      for (let second = 65; second <= 90; second++) {
        const code = String.fromCharCode(first, second);
        if (notCountries.has(code) || names.of(code) === code) continue;
        expect(COUNTRY_REGIONS.has(code), code).toBe(true);
      }
    }
  });

  it.each([
    ["FR", "Western Europe", "Europe"],
    ["gb", "Northern Europe", "Europe"],
    ["KE", "Eastern Africa", "Africa"],
    ["BR", "South America", "Americas"],
    ["US", "Northern America", "Americas"],
    ["JP", "Eastern Asia", "Asia"],
    ["IN", "Southern Asia", "Asia"],
    ["TR", "Western Asia", "Asia"],
    ["NZ", "Australia and New Zealand", "Oceania"],
  ])("maps %s to %s, %s", (code, subregion, region) => {
    expect(regionOfCountry(code)).toEqual({ subregion, region });
  });

  it("returns undefined for an unknown code", () => {
    expect(regionOfCountry("QQ")).toBeUndefined();
  });
});
