import { describe, expect, it } from "vitest";
import { isValidCpf, scrubText } from "@/lib/domain/anonymization/scrub";

const scrubbed = (text: string, identity?: { name?: string; email?: string }) => scrubText(text, { identity }).text;

describe("scrubText: webhook URLs whose path is the secret", () => {
  it.each([
    ["post to https://hooks.example.com/services/T000/B000/XXXXXXXX now", "post to [URL_WITH_SECRET] now"],
    ["https://hooks.slack.com/services/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.", "[URL_WITH_SECRET]."],
    ["bot: https://discord.com/api/webhooks/1122334455/AbCdEfGhIjKlMnOpQrStUv0123", "bot: [URL_WITH_SECRET]"],
    ["https://automation.example.org/webhook/7c1e4b2a-9d3f-4e8a-b6c5-0f1e2d3c4b5a", "[URL_WITH_SECRET]"],
    ["https://docs.example.com/document/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit", "[URL_WITH_SECRET]"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it.each([
    "See https://docs.github.com/en/webhooks/using-webhooks/creating-webhooks for setup.",
    "Read https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404 first.",
    "curl https://api.github.com/repos/vercel/next.js/releases/latest",
  ])("keeps documentation links: %j", (input) => expect(scrubbed(input)).toBe(input));
});

describe("scrubText: Brazilian CPF", () => {
  it("checks CPF check digits", () => {
    expect(isValidCpf("12345678909")).toBe(true);
    expect(isValidCpf("12345678900")).toBe(false);
    expect(isValidCpf("11111111111")).toBe(false);
  });
  it.each([
    ["Meu CPF é 123.456.789-09.", "Meu CPF é [NATIONAL_ID]."],
    ["CPF: 525.965.890-60", "CPF: [NATIONAL_ID]"],
    ["cpf 81077888775 sem pontos", "cpf [NATIONAL_ID] sem pontos"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));
  it("keeps eleven digits without a CPF cue or with wrong check digits", () => {
    expect(scrubbed("order 81077888775 shipped")).toBe("order 81077888775 shipped");
    expect(scrubbed("CPF 81077888770")).toBe("CPF 81077888770");
  });
});

describe("scrubText: emails written with spaces, words or masks", () => {
  it.each([
    ["you can reach me at maria dot fernandes at gmail dot com", "you can reach me at [EMAIL]"],
    ["contact: hiro [at] kyoto-lab [dot] jp", "contact: [EMAIL]"],
    ["Write to samira(at)zentrum-berlin(dot)de", "Write to [EMAIL]"],
    ["name at example dot com", "[EMAIL]"],
    ["my address is joe.bloggs at yahoo.com but", "my address is [EMAIL] but"],
    ["ping chen.wei at hotmail.com if", "ping [EMAIL] if"],
    ["type greta.lind @ telia.se into it", "type [EMAIL] into it"],
    ["sent to j***@gmail.com.", "sent to [EMAIL]."],
    ["went to da…@lagos-logistics.ng, the old one", "went to [EMAIL], the old one"],
    ["noted as priya.ramas...@outlook.com for", "noted as [EMAIL] for"],
    ["sent to tom.hughes@fieldwork-tr… (cut)", "sent to [EMAIL] (cut)"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it.each(["look at example.com for details", "files at data.gov are public", "we met at the station, dot the i's"])(
    "keeps %j",
    (input) => expect(scrubbed(input)).toBe(input),
  );

  it("replaces an email with an apostrophe whole", () => {
    expect(scrubbed("mail siobhan.o'connor@dublinworks.ie now")).toBe("mail [EMAIL] now");
    expect(scrubbed("mail o’brien.kate@fastmail.com now")).toBe("mail [EMAIL] now");
    expect(scrubbed("'bob@example.com'")).toBe("'[EMAIL]'");
  });
});

describe("scrubText: private keys", () => {
  it("replaces a whole PEM block", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn\naFDrBz9vFqU4yV1a5TqBH8Va\n-----END RSA PRIVATE KEY-----";
    expect(scrubbed(`fix this:\n${key}\nthanks`)).toBe("fix this:\n[PRIVATE_KEY]\nthanks");
  });
  it("replaces a PGP block with its blank line and checksum", () => {
    const key = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF5x7tQBCAC5nE8Z4p\n=q8Zr\n-----END PGP PRIVATE KEY BLOCK-----";
    expect(scrubbed(key)).toBe("[PRIVATE_KEY]");
  });
  it("replaces a key cut off before its END line", () => {
    expect(scrubbed("pasted: -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByx\nAwEHoUQDQgAEd0v\n\nwhy?")).toBe("pasted: [PRIVATE_KEY]\n\nwhy?");
  });
  it("keeps a public key and prose about keys", () => {
    const text = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0C\n-----END PUBLIC KEY-----";
    expect(scrubbed(text)).toBe(text);
    expect(scrubbed("Never share your private key.")).toBe("Never share your private key.");
  });
});

describe("scrubText: passwords stated in prose", () => {
  it.each([
    ["my password is Sunshine2024! and it fails", "my password is [PASSWORD] and it fails"],
    ["The wifi password is blue-otter-77, thanks", "The wifi password is [PASSWORD], thanks"],
    ["password: Tr0ub4dor&3", "password: [PASSWORD]"],
    ['default password was "admin1234" and', 'default password was "[PASSWORD]" and'],
    ["My PIN is 4821, should I", "My PIN is [PASSWORD], should I"],
    ["The password for the zip file is \"invoice-march\".", "The password for the zip file is \"[PASSWORD]\"."],
    ["mi contraseña es Perrito#2019 y no", "mi contraseña es [PASSWORD] y no"],
    ["the password is mangolassi.", "the password is [PASSWORD]."],
    ["The root password is now N3wR00t!2024.", "The root password is now [PASSWORD]."],
  ])("replaces the value in %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it.each([
    "const password = process.env.DB_PASSWORD;",
    "if password == confirm_password: raise ValueError()",
    "password: z.string().min(12),",
    "def login(username: str, password: str) -> bool:",
    'password = getpass.getpass("Password: ")',
    "The password is too short, it needs 12 characters.",
    "My password is case-sensitive, right?",
    "How do I reset a forgotten password in Django?",
    "password reset: check your inbox",
  ])("keeps code and talk about passwords: %j", (input) => expect(scrubbed(input)).toBe(input));
});

describe("scrubText: street addresses", () => {
  it.each([
    ["I live at 742 Evergreen Terrace, which bins", "I live at [ADDRESS], which bins"],
    ["Ship to 1600 Amphitheatre Parkway, Mountain View, CA 94043.", "Ship to [ADDRESS]."],
    ["my flat is 221B Baker Street, near", "my flat is [ADDRESS], near"],
    ["Deliver to 15 Elm Street, Apt 4B between", "Deliver to [ADDRESS] between"],
    ["Moro na Rua das Flores, 123, perto", "Moro na [ADDRESS], perto"],
    ["J'habite au 10 rue de Rivoli, quel", "J'habite au [ADDRESS], quel"],
    ["Meine Adresse ist Hauptstraße 5, 10115 Berlin.", "Meine Adresse ist [ADDRESS]."],
    ["post it to PO Box 4417", "post it to [ADDRESS]"],
    ["My postcode is SW1A 1AA, which", "My postcode is [ADDRESS], which"],
    ["I'm in Austin, TX 78701, what", "I'm in [ADDRESS], what"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it.each([
    "Wall Street reacted badly to the decision.",
    "Main Street shops are struggling.",
    "Sherlock lived at Baker Street in the stories.",
    "Room 204, building 3, floor 2.",
    "Chapter 12, verses 3-5.",
  ])("keeps %j", (input) => expect(scrubbed(input)).toBe(input));
});

describe("scrubText: people's names", () => {
  it.each([
    ["Hi, my name is Daniel Okafor and I", "Hi, my name is [NAME] and I"],
    ["Dear Mrs. Patterson, thank you", "Dear Mrs. [NAME], thank you"],
    ["Can you help me reply to Jennifer Walsh from HR?", "Can you help me reply to [NAME] from HR?"],
    ["My boss Gregory keeps scheduling", "My boss [NAME] keeps scheduling"],
    ["Regards,\nMarcus Hill", "Regards,\n[NAME]"],
    ["a seating chart: Anna, Ben, Clara and David.", "a seating chart: [NAME], [NAME], [NAME] and [NAME]."],
    ["It kept calling me Jessica even after", "It kept calling me [NAME] even after"],
    ["I'm Priya, a nurse", "I'm [NAME], a nurse"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it.each([
    "Compare Claude Sonnet and GPT-4o on this task.",
    "Victoria Station is closed this weekend.",
    "Grant funding for the project ends in May.",
    "Will the Bank of England raise rates again?",
    "Key Points: Revenue Growth, Customer Churn, Market Share.",
    "New York City has five boroughs.",
    "The Great Barrier Reef is bleaching.",
  ])("keeps %j", (input) => expect(scrubbed(input)).toBe(input));
});

describe("scrubText: cut-off and masked echoes of an IBAN or national id", () => {
  it.each([
    ["noted the IBAN DE89 3704 0044… for", "noted the IBAN [IBAN] for"],
    ["Payment goes to FR76 **** **** **** **** ***0 189 as usual.", "Payment goes to [IBAN] as usual."],
    ["Account NL91 ABNA 0417 (the rest", "Account [IBAN] (the rest"],
    ["Your SSN on file ends in ***-**-6789.", "Your SSN on file ends in [NATIONAL_ID]."],
    ["recorded as XXX-XX-3047 for", "recorded as [NATIONAL_ID] for"],
    ["The CPF 123.456.***-** is hidden", "The CPF [NATIONAL_ID] is hidden"],
    ["I have the SSN 512-68-30… noted", "I have the SSN [NATIONAL_ID] noted"],
  ])("replaces %j", (input, expected) => expect(scrubbed(input)).toBe(expected));

  it("keeps the blank form of an id", () => expect(scrubbed("Enter it as XXX-XX-XXXX.")).toBe("Enter it as XXX-XX-XXXX."));
});

describe("scrubText: the annotator's own account name and email local part", () => {
  const identity = { name: "Tobias Brandt", email: "tobi_b@web.de" };
  it("replaces the full name, each part and the local part", () => {
    expect(scrubbed("Tobias Brandt here; Brandt family; log in as tobi_b fails", identity)).toBe("[NAME] here; [NAME] family; log in as [USERNAME] fails");
  });
  it("replaces a capitalised part of the local part", () => {
    expect(scrubbed("Lena says hi", { name: null as unknown as string, email: "lena.okoye99@gmail.com" })).toBe("[NAME] says hi");
    expect(scrubbed("my instagram is @lena.okoye99", { email: "lena.okoye99@gmail.com" })).toBe("my instagram is @[USERNAME]");
  });
  it("keeps name parts that are common words outside the full name", () => {
    expect(scrubbed("I will ask whether the rose garden opens. Will Rose agrees.", { name: "Will Rose", email: "willrose@fastmail.com" })).toBe(
      "I will ask whether the rose garden opens. [NAME] agrees.",
    );
  });
  it("does nothing without an identity", () => expect(scrubbed("tobi_b was here")).toBe("tobi_b was here"));
});
