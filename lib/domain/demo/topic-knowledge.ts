/**
 * A little real knowledge for the offline demo models, so the prompts people try first get answers
 * that are right, not just well shaped. Each entry is matched on the whole prompt. Anything not
 * covered falls back to general sentences about the subject (see english-answers.ts). English only.
 */
interface TopicExplanation {
  match: RegExp;
  /** Three to five plain sentences, most important first. */
  facts: string[];
  /** One everyday comparison for a lay audience (a child, a grandparent, a beginner). */
  analogy: string;
}

const EXPLANATIONS: readonly TopicExplanation[] = [
  {
    match: /\bvaccin/i,
    facts: [
      "A vaccine shows the immune system a harmless piece or copy of a germ, such as a protein from its surface, without causing the disease.",
      "The immune system reacts by making antibodies and training memory cells that recognise that germ.",
      "If the real germ arrives later, those memory cells recognise it at once and fight it off before it can make you seriously ill.",
      "Some vaccines need boosters because the memory fades over time or the germ changes.",
    ],
    analogy: "It is like showing a guard dog a photo of a burglar: when the real burglar turns up, the dog already knows whom to bark at.",
  },
  {
    match: /\bphotosynth/i,
    facts: [
      "Photosynthesis is how plants, algae and some bacteria turn light into chemical energy.",
      "Chlorophyll in the leaves absorbs light, mostly red and blue, which is why leaves look green.",
      "The plant uses that energy to combine carbon dioxide from the air with water from its roots into glucose, a sugar.",
      "Oxygen is released as a by-product, which is where most of the oxygen we breathe comes from.",
    ],
    analogy: "A leaf is like a tiny solar-powered kitchen: sunlight is the oven, air and water are the ingredients, and sugar is the meal.",
  },
  {
    match: /\bsky\b.*\bblue\b|\bblue\b.*\bsky\b/i,
    facts: [
      "Sunlight contains every colour, and air molecules scatter short wavelengths (blue and violet) much more than long ones (red).",
      "This is called Rayleigh scattering: the scattered blue light reaches your eyes from every direction of the sky.",
      "Our eyes are more sensitive to blue than to violet, and some violet is absorbed high up, so the sky looks blue rather than purple.",
      "At sunset the light crosses much more air, most of the blue is scattered away, and the reds and oranges remain.",
    ],
    analogy: "Think of the air as a pinball table where the blue balls bounce around everywhere while the red ones roll straight through.",
  },
  {
    match: /\bblack holes?\b/i,
    facts: [
      "A black hole is a region where so much mass is squeezed into so small a space that nothing, not even light, can escape its gravity.",
      "The boundary beyond which escape is impossible is called the event horizon.",
      "Most black holes form when a very massive star runs out of fuel and its core collapses.",
      "Astronomers detect them from their effect on nearby stars and gas, and from gravitational waves when two of them merge.",
    ],
    analogy: "It is like a waterfall so strong that past a certain point no boat, however fast, can paddle back upstream.",
  },
  {
    match: /\binflation\b/i,
    facts: [
      "Inflation is the general rise in prices over time, which means each unit of money buys a little less.",
      "It is usually measured as the yearly change in the price of a typical basket of goods and services.",
      "It rises when demand outpaces what the economy can supply, when costs such as energy jump, or when too much money chases too few goods.",
      "Central banks try to keep it low and steady, often around 2% a year, mainly by raising or lowering interest rates.",
    ],
    analogy: "If a loaf of bread costs a little more each year while the coins in your purse stay the same, that creeping price is inflation.",
  },
  {
    match: /\b(the )?internet\b/i,
    facts: [
      "The internet is a worldwide network of networks that agree to exchange data using shared rules called protocols (TCP/IP).",
      "Data travels in small packets, each labelled with where it is going, and routers pass them along the fastest available path.",
      "The web is one service that runs on the internet: your browser asks a server for a page and the server sends it back.",
      "Names like example.org are turned into numeric addresses by the Domain Name System, a bit like a phone book.",
    ],
    analogy: "It works like a postal service for tiny envelopes: each carries an address, and sorting offices pass it along until it arrives.",
  },
  {
    match: /\bgravity\b/i,
    facts: [
      "Gravity is the attraction between things that have mass; the more mass and the closer they are, the stronger the pull.",
      "It keeps us on the ground, the Moon around the Earth and the Earth around the Sun.",
      "Einstein described it as mass curving space and time, so objects follow the curves, which also explains why it bends light.",
      "Near the Earth's surface it accelerates falling objects by about 9.8 metres per second every second.",
    ],
    analogy: "Picture a heavy ball on a trampoline: smaller balls roll towards the dip it makes.",
  },
  {
    match: /\b(climate change|global warming|greenhouse)\b/i,
    facts: [
      "Greenhouse gases such as carbon dioxide and methane let sunlight in but trap part of the heat the Earth gives off.",
      "Burning coal, oil and gas has raised carbon dioxide levels by about half since before the industrial era.",
      "The extra trapped heat has warmed the planet by roughly 1.2 °C, which shifts weather patterns, melts ice and raises sea levels.",
      "Cutting emissions and adapting to the changes already under way are the two main responses.",
    ],
    analogy: "It is like adding an extra blanket to the planet every year: the heat comes in as before but escapes more slowly.",
  },
  {
    match: /\bdna\b/i,
    facts: [
      "DNA is the molecule that carries the instructions for building and running a living thing.",
      "It is a double helix made of four chemical letters (A, T, C and G) whose order spells out genes.",
      "Cells read genes to make proteins, which do most of the work in the body.",
      "When a cell divides it copies its DNA, and small copying changes (mutations) are one source of variation.",
    ],
    analogy: "DNA is like a cookbook in every cell: the recipes are genes, and the cell cooks the proteins it needs.",
  },
  {
    match: /\b(machine learning|neural networks?|artificial intelligence|\bai\b|large language models?|llms?)\b/i,
    facts: [
      "Machine learning programs learn patterns from examples instead of following rules written by hand.",
      "A neural network is a stack of simple numeric units whose connection strengths are adjusted, step by step, to reduce its mistakes on training examples.",
      "Language models are trained to predict the next word in huge amounts of text, and that simple task teaches them grammar, facts and some reasoning.",
      "They can be confidently wrong, so important answers still need checking.",
    ],
    analogy: "It is like learning to recognise birds by looking at thousands of labelled photos rather than memorising a rule book.",
  },
  {
    match: /\bquantum entanglement\b/i,
    facts: [
      "Entanglement links two particles so that their measured properties are correlated, however far apart they are.",
      "Before measurement neither particle has a definite value; measuring one immediately tells you what the other will show.",
      "This cannot be used to send messages faster than light, because each individual result is still random.",
      "Entanglement is the resource behind quantum computing, quantum cryptography and teleportation of quantum states.",
    ],
    analogy: "Imagine two coins that always land opposite ways whoever flips them and wherever they are, although each flip on its own looks random.",
  },
  {
    match: /\brainbows?\b/i,
    facts: [
      "A rainbow appears when sunlight enters raindrops, bends, reflects off the back of the drop and bends again on the way out.",
      "Each colour bends by a slightly different amount, so white light spreads into red, orange, yellow, green, blue and violet.",
      "You see one when the Sun is behind you and rain is in front of you, at about 42 degrees from the point opposite the Sun.",
    ],
    analogy: "Each raindrop acts like a tiny glass prism hanging in the air.",
  },
  {
    match: /\btides?\b/i,
    facts: [
      "Tides are mainly caused by the Moon's gravity pulling on the oceans, with a smaller contribution from the Sun.",
      "The pull makes a bulge of water facing the Moon and another on the opposite side of the Earth.",
      "As the Earth turns through both bulges, most coasts get two high and two low tides a day.",
      "When the Sun and Moon line up (new and full moon) the tides are strongest: these are spring tides.",
    ],
    analogy: "It is like water in a bathtub sloshing as someone gently tugs one end, twice a day.",
  },
  {
    match: /\b(sleep|dream)/i,
    facts: [
      "Sleep runs in cycles of about 90 minutes that move between light sleep, deep sleep and REM sleep.",
      "Deep sleep helps the body recover, and REM sleep, when most vivid dreams happen, helps consolidate memories and emotions.",
      "Adults generally need seven to nine hours; regular hours and a dark, cool room help most.",
    ],
    analogy: "Sleep is the night shift that tidies the workshop so the day shift can find its tools.",
  },
];

interface FactualAnswer {
  match: RegExp;
  answer: string;
  detail: string;
}

const FACTS: readonly FactualAnswer[] = [
  { match: /\bcapital of france\b/i, answer: "The capital of France is Paris.", detail: "It has been the capital for most of the country's history and is home to about 2 million people in the city proper." },
  { match: /\bcapital of peru\b/i, answer: "The capital of Peru is Lima.", detail: "Lima lies on the Pacific coast and has roughly 10 million people in its metropolitan area." },
  { match: /\bcapital of japan\b/i, answer: "The capital of Japan is Tokyo.", detail: "Greater Tokyo is the most populous metropolitan area in the world." },
  { match: /\bcapital of (australia)\b/i, answer: "The capital of Australia is Canberra.", detail: "It was chosen as a compromise between Sydney and Melbourne." },
  { match: /\bcapital of (canada)\b/i, answer: "The capital of Canada is Ottawa.", detail: "It sits in Ontario, on the border with Quebec." },
  { match: /\bcapital of (germany)\b/i, answer: "The capital of Germany is Berlin.", detail: "It became the capital of reunified Germany in 1990." },
  { match: /\bcapital of (italy)\b/i, answer: "The capital of Italy is Rome.", detail: "Rome has been an important city for more than two and a half thousand years." },
  { match: /\bcapital of (spain)\b/i, answer: "The capital of Spain is Madrid.", detail: "It lies almost exactly in the centre of the Iberian Peninsula." },
  { match: /\bcapital of (kenya)\b/i, answer: "The capital of Kenya is Nairobi.", detail: "Nairobi is also known for the national park at the edge of the city." },
  { match: /\bcapital of (brazil)\b/i, answer: "The capital of Brazil is Brasília.", detail: "It was purpose-built and inaugurated in 1960, replacing Rio de Janeiro." },
  { match: /\bboil/i, answer: "Water boils at 100 °C (212 °F) at sea level.", detail: "At higher altitude the air pressure is lower, so it boils at a lower temperature, about 90 °C at 3,000 m." },
  { match: /\bfreez/i, answer: "Water freezes at 0 °C (32 °F) at normal pressure.", detail: "Dissolved salt lowers the freezing point, which is why roads are salted in winter." },
  { match: /\bspeed of light\b/i, answer: "The speed of light in a vacuum is 299,792,458 metres per second, about 300,000 km/s.", detail: "Light from the Sun takes about 8 minutes 20 seconds to reach the Earth." },
  { match: /\bhow many planets\b/i, answer: "There are eight planets in the Solar System.", detail: "Mercury, Venus, Earth, Mars, Jupiter, Saturn, Uranus and Neptune; Pluto was reclassified as a dwarf planet in 2006." },
  { match: /\bromeo and juliet\b/i, answer: "Romeo and Juliet was written by William Shakespeare.", detail: "It was probably written around 1595." },
  { match: /\b(tallest|highest) mountain\b/i, answer: "Mount Everest is the highest mountain above sea level, at 8,849 m.", detail: "It sits on the border between Nepal and China." },
  { match: /\b(largest|biggest) ocean\b/i, answer: "The Pacific is the largest ocean.", detail: "It covers about a third of the Earth's surface." },
  { match: /\bhow many (days|weeks) in a year\b/i, answer: "A year has 365 days, or 366 in a leap year.", detail: "That is 52 weeks and one or two days." },
  { match: /\bhow many continents\b/i, answer: "There are seven continents by the most common count.", detail: "Africa, Antarctica, Asia, Australia (Oceania), Europe, North America and South America." },
];

interface HowToGuide {
  match: RegExp;
  steps: string[];
  tip: string;
}

const HOW_TO_GUIDES: readonly HowToGuide[] = [
  {
    match: /\bsourdough\b/i,
    steps: [
      "Feed your starter 4–12 hours ahead so it is bubbly and has roughly doubled.",
      "Mix 500 g bread flour with 350 g water and rest it for 30–60 minutes (autolyse).",
      "Add 100 g active starter and 10 g salt, and squeeze them through the dough.",
      "Over the next 3–4 hours do four sets of stretch-and-folds, 30 minutes apart.",
      "Shape the dough into a tight ball, put it in a floured basket and refrigerate it overnight.",
      "Bake in a preheated Dutch oven at 250 °C: 20 minutes with the lid on, then 20–25 minutes without.",
    ],
    tip: "Let it cool for an hour before cutting; the crumb is still setting.",
  },
  {
    match: /\b(flat )?tyre|\b(flat )?tire\b/i,
    steps: [
      "Stop somewhere flat and safe, switch on your hazard lights and apply the parking brake.",
      "Loosen the wheel nuts half a turn while the wheel is still on the ground.",
      "Place the jack at the marked lifting point and raise the car until the tyre is off the ground.",
      "Remove the nuts and the wheel, fit the spare, and hand-tighten the nuts.",
      "Lower the car and tighten the nuts fully in a star pattern.",
      "Check the spare's pressure and have the flat repaired soon; space-saver spares are for short distances.",
    ],
    tip: "Keep the nuts in the upturned hubcap so none roll away.",
  },
  {
    match: /\bpiano\b/i,
    steps: [
      "Get a keyboard with 88 weighted keys if you can; touch matters from the start.",
      "Learn where middle C is and the names of the white keys.",
      "Practise 15–20 minutes every day rather than once a week for two hours.",
      "Learn to read simple sheet music alongside playing by ear.",
      "Pick a beginner method book or course and follow it in order.",
      "Play pieces you enjoy, slowly and hands separately first, then together.",
    ],
    tip: "A few lessons with a teacher early on prevent habits that are hard to unlearn.",
  },
  {
    match: /\b(coffee|espresso)\b/i,
    steps: [
      "Use fresh beans and grind them just before brewing.",
      "Use about 60 g of coffee per litre of water.",
      "Heat the water to 92–96 °C, just off the boil.",
      "Brew for the right time for your method: about 4 minutes for a French press.",
      "Serve at once; coffee left on a hot plate turns bitter.",
    ],
    tip: "Change one thing at a time (grind, ratio or time) until it tastes right.",
  },
  {
    match: /\b(learn|study|speak) (?:a |an )?(?:new )?(spanish|french|german|italian|japanese|english|language)\b/i,
    steps: [
      "Learn the 500 most common words first; they cover most everyday conversation.",
      "Study a little every day with spaced-repetition flashcards.",
      "Listen to the language daily: podcasts, series with subtitles, music.",
      "Speak from the first week, with a tutor or a language-exchange partner.",
      "Read simple texts and graded readers, then move to articles you care about.",
    ],
    tip: "Consistency beats intensity: 20 minutes a day outperforms a weekend cram.",
  },
];

export const findExplanation = (prompt: string) => EXPLANATIONS.find((entry) => entry.match.test(prompt)) ?? null;
export const findFact = (prompt: string) => FACTS.find((entry) => entry.match.test(prompt)) ?? null;
export const findHowTo = (prompt: string) => HOW_TO_GUIDES.find((entry) => entry.match.test(prompt)) ?? null;
