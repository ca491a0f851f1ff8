/**
 * ISO 3166-1 alpha-2 country codes grouped by UN M49 geographic region.
 *
 * `subregion` is the M49 intermediate region where M49 defines one (the parts of Sub-Saharan Africa and of
 * Latin America and the Caribbean) and the M49 sub-region otherwise, so every subregion groups neighbouring
 * countries of similar size. Taiwan (TW), which M49 folds into China, is listed in Eastern Asia; Kosovo (XK,
 * a user-assigned code in common use) in Southern Europe; Antarctica and its islands have their own region.
 */
const COUNTRIES_BY_SUBREGION: Record<string, { region: string; countries: string }> = {
  "Northern Africa": { region: "Africa", countries: "DZ EG LY MA SD TN EH" },
  "Eastern Africa": {
    region: "Africa",
    countries: "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW",
  },
  "Middle Africa": { region: "Africa", countries: "AO CM CF TD CG CD GQ GA ST" },
  "Southern Africa": { region: "Africa", countries: "BW SZ LS NA ZA" },
  "Western Africa": { region: "Africa", countries: "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG" },
  Caribbean: {
    region: "Americas",
    countries: "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
  },
  "Central America": { region: "Americas", countries: "BZ CR SV GT HN MX NI PA" },
  "South America": { region: "Americas", countries: "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE" },
  "Northern America": { region: "Americas", countries: "BM CA GL PM US" },
  "Central Asia": { region: "Asia", countries: "KZ KG TJ TM UZ" },
  "Eastern Asia": { region: "Asia", countries: "CN HK MO KP JP MN KR TW" },
  "South-eastern Asia": { region: "Asia", countries: "BN KH ID LA MY MM PH SG TH TL VN" },
  "Southern Asia": { region: "Asia", countries: "AF BD BT IN IR MV NP PK LK" },
  "Western Asia": { region: "Asia", countries: "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE" },
  "Eastern Europe": { region: "Europe", countries: "BY BG CZ HU PL MD RO RU SK UA" },
  "Northern Europe": { region: "Europe", countries: "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB" },
  "Southern Europe": { region: "Europe", countries: "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES XK" },
  "Western Europe": { region: "Europe", countries: "AT BE FR DE LI LU MC NL CH" },
  "Australia and New Zealand": { region: "Oceania", countries: "AU CX CC HM NZ NF" },
  Melanesia: { region: "Oceania", countries: "FJ NC PG SB VU" },
  Micronesia: { region: "Oceania", countries: "GU KI MH FM NR MP PW UM" },
  Polynesia: { region: "Oceania", countries: "AS CK PF NU PN WS TK TO TV WF" },
  Antarctica: { region: "Antarctica", countries: "AQ" },
};

export interface CountryRegion {
  subregion: string;
  region: string;
}

export const COUNTRY_REGIONS: ReadonlyMap<string, CountryRegion> = new Map(
  Object.entries(COUNTRIES_BY_SUBREGION).flatMap(([subregion, { region, countries }]) =>
    countries.split(" ").map((code) => [code, { subregion, region }] as const),
  ),
);

/** The M49 subregion and region of an ISO alpha-2 code (case-insensitive), or undefined for an unknown code. */
export function regionOfCountry(code: string): CountryRegion | undefined {
  return COUNTRY_REGIONS.get(code.toUpperCase());
}
