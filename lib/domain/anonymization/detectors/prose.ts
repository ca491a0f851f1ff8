import { GIVEN_NAMES, isCommonWord } from "./given-names";
import { containsAny, containsAnyIgnoringCase, longestDigitCluster, placeholderFor, type Detector, type Replacement } from "./types";

/**
 * Detectors for personal data that has no fixed shape and is recognised from its context: passwords
 * stated in prose, street addresses and people's names. A documented rule set (no statistical model):
 *
 * PASSWORD — the value after a password cue ("my password is …", "password: …", "pwd=…", "the PIN is …",
 * "mot de passe …", "contraseña …", "Passwort …"). Only the value is replaced. A value is accepted when it
 * is quoted, mixes letters with digits or symbols, or ends the clause and is not an ordinary word such
 * as "wrong" or "expired"; code is left alone (`password: str`, `password = getpass()`, `${PASS}`).
 *
 * ADDRESS — a house number then up to four capitalised words and a street word (Street, Ave, Road, …),
 * with an optional unit, town, state and ZIP; a continental street word then a name and a number
 * ("Rua das Flores, 123", "Calle Mayor 12"); a number then a French street word ("10 rue de Rivoli");
 * a compound street name with a number ("Hauptstraße 5", "Keizersgracht 123"); a PO box; a UK postcode;
 * "Town, ST 12345".
 *
 * NAME — a capitalised name after a strong cue ("my name is", "call me", "Dear", a sign-off such as
 * "Regards,", a relation such as "my sister", a title "Dr."/"Mrs."); or a given name from the lexicon
 * (given-names.ts) followed by a capitalised surname ("Jennifer Okafor"); or a given name from the
 * lexicon after a weak cue ("I'm Priya", "ask Wei", "Hi Tom").
 */

const UPPER = String.raw`\p{Lu}`;
const TITLES = "Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Professor|Sir|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Srta";
const NAME_WORD = String.raw`(?!(?:${TITLES})\b)${UPPER}[\p{Ll}'’]+(?:-${UPPER}?[\p{Ll}'’]+)?`;
const SURNAME_PARTICLE = String.raw`(?:(?:van|von|de|da|di|del|della|der|dos|das|du|le|la|bin|ibn|al|el)\s+|(?:O'|O’|Mc|Mac|D'|d'))?`;

/** Capitalised words that follow given names without being surnames. */
const NOT_SURNAMES = new Set(
  `The A An And Or But Of In On At To For From With By As Is Are Was Were Be Been I You He She It We They My Your His Her Our Their
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December
  Street Road Avenue Lane Drive Court Place Square University College School Hospital Church Bank Company Inc Ltd LLC Group
  City Town Village County State Station Cathedral Castle Abbey Bridge River Lake Mountain Mount Island Islands Bay Beach Valley Airport Hotel
  Museum Library Hall Center Centre Stadium Salad Sauce Cake Pie Party Democrats Republicans Day Night Eve Award Cup League Festival
  Sonnet Opus Haiku Instant Pro Flash Ultra Nano Mini Turbo Code Studio Cloud Labs AI API SDK Edition Version Series Model Prize Award
  Said Says Asked Wrote Thinks Thought Replied Mentioned Likes Loves Is Has Had Will Would Could Should Can May Might Must Did Does`.split(/\s+/),
);

const STRONG_NAME_CUE = String.raw`(?:[Mm]y name is|[Mm]y name's|[Nn]ame:|[Cc]all(?:ed|s|ing)? me|[Aa]ddressed me as|[Rr]efer(?:red)? to me as|[Nn]amed|[Ii] am called|[Ii]'m called|[Dd]ear|[Ss]igned|[Rr]egards,|[Tt]hanks,|[Tt]hank you,|[Cc]heers,|[Bb]est,|[Ss]incerely,|[Mm]y (?:wife|husband|son|daughter|friend|boss|colleague|co-worker|coworker|neighbou?r|partner|mother|father|mom|mum|dad|brother|sister|manager|landlord|boyfriend|girlfriend|fiancée?|nephew|niece|cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|grandson|granddaughter|roommate|flatmate|student|tutor|kid|child|baby)(?: is)?(?: named| called)?,?)`;
const TITLE_CUE = String.raw`(?:${TITLES})\.?`;
const WEAK_NAME_CUE = String.raw`(?:[Ii]'m|[Ii] am|[Tt]his is|[Hh]i|[Hh]ello|[Hh]ey|[Aa]sk(?:ed)?|[Tt]ell|[Tt]old|[Cc]ontact(?:ed)?|[Ee]mail(?:ed)?|[Cc]all(?:ed)?|[Mm]eet|[Mm]et|[Tt]hank|[Ww]ith|[Ff]rom|[Ff]or|[Tt]o|[Bb]y|[Aa]nd|[Cc]c:?)`;

const CUED_NAME_BODY = String.raw`${NAME_WORD}(?:\s+${UPPER}\.)?(?:\s+${SURNAME_PARTICLE}${NAME_WORD}){0,2}`;
const CUED_NAME = new RegExp(String.raw`(?<![\p{L}\]])(${STRONG_NAME_CUE}|${TITLE_CUE})(\s+)(${CUED_NAME_BODY})(?![\p{L}[])`, "uy");
/** Weak cues are common words ("to", "with"): the match starts at the capital, the cue is looked up behind it. */
const WEAK_CUED_NAME = new RegExp(String.raw`(?=${UPPER})(?<=(?<![\p{L}])${WEAK_NAME_CUE}\s+)(${CUED_NAME_BODY})(?![\p{L}[])`, "uy");
const LEXICON_NAME = new RegExp(
  String.raw`(?=${UPPER})(?<![\p{L}\]])(${NAME_WORD})((?:\s+${UPPER}\.)?\s+${SURNAME_PARTICLE})(${NAME_WORD})(?:\s+(${NAME_WORD}))?(?![\p{L}[])`,
  "uy",
);

/** An enumeration of given names: "Anna, Ben, Clara and David". */
const NAME_LIST = new RegExp(
  String.raw`(?=${UPPER})(?<![\p{L}\]])${NAME_WORD}(?:,\s+${NAME_WORD})*,?\s+(?:and|&|or)\s+${NAME_WORD}(?![\p{L}[])`,
  "uy",
);

function replaceNameList(match: string): Replacement {
  const names = match.split(/,\s+|,?\s+(?:and|&|or)\s+/u);
  if (!names.every((name) => GIVEN_NAMES.has(name) && !NOT_SURNAMES.has(name))) return null;
  return match.replace(new RegExp(NAME_WORD, "gu"), placeholderFor("NAME"));
}

/** Words of a cued name that really are part of it: stop at the first word that is not name-like. */
function nameWords(words: string[], strong: boolean): number {
  let count = 0;
  for (const word of words) {
    if (NOT_SURNAMES.has(word)) break;
    if (count === 0 && !strong && !GIVEN_NAMES.has(word)) return 0;
    if (count > 0 && isCommonWord(word) && !GIVEN_NAMES.has(word) && word.length <= 3) break;
    count++;
  }
  return count;
}

function replaceWeakCuedName(match: string, groups: Array<string | undefined>): Replacement {
  return replaceCuedName(match, ["", "", groups[0]], false);
}

function replaceCuedName(match: string, groups: Array<string | undefined>, strong = true): Replacement {
  const [cue = "", space = "", name = ""] = groups;
  const tokens = name.split(/(\s+)/);
  const words = tokens.filter((_, index) => index % 2 === 0);
  // "Claude Opus", "Victoria Station": a thing or a place named after a person, not a person.
  if (words.some((word) => NOT_SURNAMES.has(word))) return null;
  const kept = nameWords(words, strong);
  if (kept === 0) return null;
  const keptText = tokens.slice(0, kept * 2 - 1).join("");
  return { text: `${cue}${space}${placeholderFor("NAME")}`, length: cue.length + space.length + keptText.length };
}

function replaceLexiconName(match: string, groups: Array<string | undefined>): Replacement {
  const [given = "", middle = "", surname = "", third] = groups;
  if (!GIVEN_NAMES.has(given) || NOT_SURNAMES.has(surname) || NOT_SURNAMES.has(given)) return null;
  if (/^\p{Lu}+$/u.test(surname)) return null;
  const withThird = third !== undefined && !NOT_SURNAMES.has(third) && !isCommonWord(third);
  const length = given.length + middle.length + surname.length + (withThird ? match.length - (given.length + middle.length + surname.length) : 0);
  return { text: placeholderFor("NAME"), length };
}

const STREET_WORDS = String.raw`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Row|Gardens|Mews|Walk|Grove|Trail|Alley|Hill|Park|Loop|Quay|Wharf|Esplanade|Embankment|Rise)`;
const US_STATES =
  "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC";
const TOWN = String.raw`${UPPER}[\p{Ll}'’-]+(?:\.?\s+${UPPER}[\p{Ll}'’-]+){0,2}`;
const UNIT = String.raw`(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\.?\s*#?[\dA-Z]{1,5})`;
const UK_POSTCODE_SHAPE = String.raw`(?:GIR 0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})`;
const ADDRESS_TAIL = String.raw`${UNIT}?(?:,\s*${TOWN})?(?:,?\s+${UK_POSTCODE_SHAPE}(?![\w[]))?(?:,?\s+(?:${US_STATES.replace(/ /g, "|")})(?:\s+\d{5}(?:-\d{4})?)?)?(?:,?\s+\d{5}(?:-\d{4})?)?`;

const NUMBER_FIRST_ADDRESS = new RegExp(
  String.raw`(?<![\w.,\]/:-])\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:(?:North|South|East|West|N|S|E|W)\.?\s+)?(?:${UPPER}[\p{Ll}'.-]*\s+|\d{1,3}(?:st|nd|rd|th)\s+){1,4}${STREET_WORDS}\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W))?(?![\p{L}\d])${ADDRESS_TAIL}`,
  "gu",
);
const STREET_FIRST_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\]])(?:Rua|Calle|Carrer|Avenida|Av\.|Avda\.|Via|Viale|Piazza|Plaza|Paseo|Praça|Travessa|Largo|Ulica|ul\.|Strada|Calea)\s+(?:(?:de|del|da|das|do|dos|della|di|dei|la|las|los)\s+)*${UPPER}[\p{L}'-]+(?:\s+(?:(?:de|del|da|das|do|dos|della|di)\s+)?${UPPER}[\p{L}'-]+){0,3},?\s+(?:n[º°o]\.?\s*)?\d{1,5}[A-Za-z]?(?![\w[])(?:,\s*${TOWN})?`,
  "gu",
);
const FRENCH_ADDRESS = new RegExp(
  String.raw`(?<![\w\]])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s+(?:(?:de|du|des|la|le|l'|d')\s*)*[\p{L}'-]+(?:\s+[\p{Lu}][\p{L}'-]+){0,3}(?:,\s*\d{5}\s+${TOWN})?`,
  "giu",
);
const COMPOUND_STREET_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\]])${UPPER}[\p{Ll}äöüß]+(?:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|ufer|straat|laan|plein|gracht|kade|vej|gade|gatan|vägen|veien|gata|katu|tie)\s+\d{1,4}[a-z]?(?![\w[])(?:,\s*\d{4,5}\s+${TOWN})?`,
  "gu",
);
const PO_BOX = new RegExp(String.raw`(?<![\w\]])(?:P\.?\s?O\.?\s?Box|Post Office Box|Caixa Postal|Apartado)\s+\d{1,6}(?![\w[])(?:,\s*${TOWN})?`, "giu");
const UK_POSTCODE = new RegExp(String.raw`(?<![\w\]])${UK_POSTCODE_SHAPE}(?![\w[])`, "g");
const TOWN_STATE_ZIP = new RegExp(String.raw`(?<![\p{L}\]])${TOWN},\s+(?:${US_STATES.replace(/ /g, "|")})\s+\d{5}(?:-\d{4})?(?![\w[])`, "gu");

const PASSWORD_CUE = String.raw`(?:(?:my|the|our|your|his|her|their|wifi|wi-fi|admin|root|account|login|email)\s+)*(?:password|passwd|passphrase|passcode|pass\s?code|pwd|pin(?:\s?code)?|PIN(?:\s?code)?|mot de passe|contraseña|senha|Passwort|Kennwort|wachtwoord)`;
const PASSWORD_PATTERN = new RegExp(
  String.raw`(?<![\w\]])(${PASSWORD_CUE})((?:\s+(?:for|of|on)(?:\s+[\p{L}\d.'-]+){1,3}?)?\s*(?:is now|is still|is set to|was set to|will be|set to|is|was|reads|est|es|é|ist|lautet|==|:|=|to)\s*|\s+)("[^"\n]{3,64}"|'[^'\n]{3,64}'|“[^”\n]{3,64}”|\x60[^\x60\n]{3,64}\x60|(?!\[)[^\s"'“\x60]{3,64}(?!\S))(\s*$)?`,
  "giu",
);
const PASSWORD_VALUE_WORDS = new Set(
  `wrong incorrect correct expired weak strong long short too very not the a an my your same different still now required invalid reset
  changed case-sensitive hashed encrypted stored saved protected hidden secret safe secure easy hard simple complex missing empty blank
  field manager policy length strength reuse and or but in on for of that which when if is was being please here there this it them
  forgotten lost compromised leaked visible shown displayed ok fine good bad enough`.split(/\s+/),
);
/** snake_case names and camelCase names built from code words ("confirm_password", "newPassword"). */
const CODE_IDENTIFIER = /^(?:[a-z]+(?:_[a-z]+)+|[a-z]*(?:[Pp]ass(?:word)?|[Pp]wd|[Ss]ecret|[Hh]ash|[Cc]onfirm|[Ii]nput|[Vv]alue|[Ff]ield|[Uu]ser)[A-Za-z]*)$/;
const CODE_VALUE = /^(?:[A-Za-z_$][\w$]*\s*[.([]|\$\{|\{\{|<|%|process\.|os\.|env\b|[A-Z][A-Z0-9]*_[A-Z0-9_]+$|(?:str|string|String|int|number|bool|boolean|None|null|undefined|true|false|bytes|text|varchar|char|any|required|optional)\b)/;

/** Letters with digits, four or more digits, a symbol, or an inner capital: not an ordinary word. */
function looksLikePassword(value: string): boolean {
  if (/\d/.test(value)) return /\p{L}/u.test(value) || /^\d{4,}$/.test(value);
  return /[^\p{L}'’-]/u.test(value) || /\p{Ll}\p{Lu}/u.test(value);
}

function isOrdinaryWord(value: string): boolean {
  return value.toLowerCase().split(/[-’']/).every((part) => PASSWORD_VALUE_WORDS.has(part) || isCommonWord(part));
}

function replacePassword(match: string, groups: Array<string | undefined>): Replacement {
  const [cue = "", separator = "", value = "", atEnd] = groups;
  const quoted = /^["'“`]/.test(value);
  const bare = quoted ? value.slice(1, -1) : value.replace(/[.,;:?)]+$/, "");
  if (bare.length < 3 || CODE_VALUE.test(bare) || CODE_IDENTIFIER.test(bare) || /^\[[A-Z_]+\]$/.test(bare)) return null;
  if (!quoted && !looksLikePassword(bare)) {
    // A plain word counts when it is assigned ("password: sunflower") or ends the clause ("… is mangolassi.");
    // a dictionary word must end the clause, and a hyphenated one must also be assigned ("case-sensitive").
    const marker = separator.trim();
    if (marker === "" || PASSWORD_VALUE_WORDS.has(bare.toLowerCase())) return null;
    const assigned = /[:=]$/.test(marker);
    const endsClause = bare !== value || atEnd !== undefined;
    if (!endsClause && !assigned) return null;
    if (isOrdinaryWord(bare) && (!endsClause || (!assigned && bare.includes("-")))) return null;
  }
  const start = cue.length + separator.length + (quoted ? 1 : 0);
  return { text: `${match.slice(0, start)}${placeholderFor("PASSWORD")}`, length: start + bare.length };
}

const CAPITALISED_WORD = /[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+/g;

let lastScanned: { text: string; positions: number[] } | null = null;

/** Start of every capitalised word of `text` that is a given name of the lexicon (three detectors ask in a row). */
function givenNamePositions(text: string): number[] {
  if (lastScanned?.text === text) return lastScanned.positions;
  const positions: number[] = [];
  for (const match of text.matchAll(CAPITALISED_WORD)) if (GIVEN_NAMES.has(match[0])) positions.push(match.index);
  lastScanned = { text, positions };
  return positions;
}

/** Start of every strong name cue or title ("my name is", "Dear", "Dr") that does not continue a word. */
function nameCuePositions(text: string): number[] {
  const positions: number[] = [];
  for (const match of text.matchAll(NAME_CUE_LITERALS)) if (match.index === 0 || !/[A-Za-z]/.test(text[match.index - 1]!)) positions.push(match.index);
  return positions;
}

const STREET_WORD = new RegExp(`\\b${STREET_WORDS}\\b`);
const STREET_SUFFIXES = /(?:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|ufer|straat|laan|plein|gracht|kade|vej|gade|gatan|vägen|veien|gata|katu|tie)\s+\d/;
const NAME_CUE_LITERALS = /(?:[Mm]y|[Nn]ame|[Cc]all|[Dd]ear|[Ss]igned|[Rr]egards|[Tt]hank|[Cc]heers|[Bb]est|[Ss]incerely|[Ii] am called|[Ii]'m called|Mr|Ms|Mx|Miss|Dr|Prof|Sir|Madam|Mme|Mlle|Herr|Frau|Sr|[Aa]ddressed|[Rr]efer)/g;

export const PROSE_DETECTORS: Detector[] = [
  { kind: "PASSWORD", pattern: PASSWORD_PATTERN, replace: replacePassword, requires: containsAnyIgnoringCase("pass", "pwd", "pin", "mot de passe", "contraseña", "senha", "wort", "wachtwoord") },
  { kind: "ADDRESS", pattern: NUMBER_FIRST_ADDRESS, replace: () => placeholderFor("ADDRESS"), requires: (text) => longestDigitCluster(text) >= 1 && STREET_WORD.test(text) },
  { kind: "ADDRESS", pattern: STREET_FIRST_ADDRESS, replace: () => placeholderFor("ADDRESS"), requires: containsAny("Rua", "Calle", "Carrer", "Avenida", "Av.", "Avda.", "Via", "Viale", "Piazza", "Plaza", "Paseo", "Praça", "Travessa", "Largo", "Ulica", "ul.", "Strada", "Calea") },
  { kind: "ADDRESS", pattern: FRENCH_ADDRESS, replace: () => placeholderFor("ADDRESS"), requires: (text) => longestDigitCluster(text) >= 1 && containsAnyIgnoringCase("rue", "avenue", "boulevard", "bd", "place", "chemin", "allée", "impasse", "quai", "route", "cours")(text) },
  { kind: "ADDRESS", pattern: COMPOUND_STREET_ADDRESS, replace: () => placeholderFor("ADDRESS"), requires: (text) => longestDigitCluster(text) >= 1 && STREET_SUFFIXES.test(text) },
  { kind: "ADDRESS", pattern: PO_BOX, replace: () => placeholderFor("ADDRESS"), requires: containsAnyIgnoringCase("box", "postal", "apartado") },
  { kind: "ADDRESS", pattern: TOWN_STATE_ZIP, replace: () => placeholderFor("ADDRESS"), requires: (text) => longestDigitCluster(text) >= 5 && /,\s+[A-Z]{2}\s+\d{5}/.test(text) },
  { kind: "ADDRESS", pattern: UK_POSTCODE, replace: () => placeholderFor("ADDRESS"), requires: (text) => longestDigitCluster(text) >= 1 && /\d[A-Z]{2}/.test(text) },
  { kind: "NAME", pattern: LEXICON_NAME, replace: replaceLexiconName, anchors: givenNamePositions },
  { kind: "NAME", pattern: NAME_LIST, replace: replaceNameList, anchors: givenNamePositions },
  { kind: "NAME", pattern: CUED_NAME, replace: (match, groups) => replaceCuedName(match, groups), anchors: nameCuePositions },
  { kind: "NAME", pattern: WEAK_CUED_NAME, replace: replaceWeakCuedName, anchors: givenNamePositions },
];
