import type { DemoLanguage } from "./persona-hints";

/**
 * Sentence banks of the offline demo models, per language. Placeholders: {topic}, {field},
 * {country}. No sentence names a real model or company.
 */
export interface PhraseBank {
  /** Stands in for the topic after its first mentions, so answers do not repeat it in every sentence. */
  pronoun: string;
  points: string[];
  steps: string[];
  fieldLine: string;
  countryLine: string;
  noviceLine: string;
  expertLine: string;
  headers: { overview: string; keyPoints: string; recommendations: string; conclusion: string };
  conciseIntro: string[];
  friendlyIntro: string[];
  friendlyOlderIntro: string;
  friendlyYoungerIntro: string;
  formalIntro: string[];
  friendlyClosing: string[];
  formalClosing: string[];
  storyOpenings: string[];
  storyMiddles: string[];
  storyEndings: string[];
  terse: string[];
  offTopic: string[];
}

const ENGLISH: PhraseBank = {
  pronoun: "it",
  points: [
    "The core idea behind {topic} is to separate what matters most from the details that can wait.",
    "Most problems with {topic} come from skipping the basics, so check the fundamentals first.",
    "A good rule of thumb for {topic}: start small, measure the result, then adjust.",
    "The main trade-off in {topic} is between speed and thoroughness; decide which one you need today.",
    "People often overcomplicate {topic}; a simple, consistent approach beats a clever one.",
    "Context changes everything with {topic}: what works in one situation can fail in another.",
    "Write down your assumptions about {topic}; most surprises come from an unstated one.",
    "Compare at least two options for {topic} before committing, even if one looks obvious.",
    "The long-term cost of {topic} is usually maintenance, not the first effort.",
    "Ask someone with hands-on experience of {topic} to review your plan; it saves time.",
    "Keep a short record of what you tried with {topic} and what happened.",
    "If {topic} feels overwhelming, split it into three parts and finish one at a time.",
  ],
  steps: [
    "Clarify what a good outcome for {topic} looks like.",
    "Gather the few resources or facts you actually need.",
    "Try the simplest version first and note what happens.",
    "Fix the biggest problem you observed, then repeat.",
    "Check the result against your original goal.",
    "Write down what you learned for next time.",
  ],
  fieldLine: "Since you work in {field}, think of {topic} the way you would approach a routine task in {field}: same discipline, different material.",
  countryLine: "Rules and habits around {topic} can differ in {country}, so check local guidance.",
  noviceLine: "In simple terms, {topic} is like learning a recipe: follow the steps once, then make it your own.",
  expertLine: "At a deeper level, the interesting part of {topic} is the edge cases, where the usual heuristics break down.",
  headers: { overview: "Overview", keyPoints: "Key points", recommendations: "Recommendations", conclusion: "Conclusion" },
  conciseIntro: ["Short answer on {topic}:", "{topic}, in brief:"],
  friendlyIntro: ["Great question! Let's walk through {topic} together.", "Happy to help with {topic}! Here is a simple way to see it."],
  friendlyOlderIntro: "Thank you for the question. Let us go through {topic} step by step, at a comfortable pace.",
  friendlyYoungerIntro: "Nice one! Here's the quick, no-nonsense tour of {topic}.",
  formalIntro: [
    "The following response provides a structured analysis of {topic}.",
    "This answer examines {topic} systematically, from its foundations to its practical implications.",
  ],
  friendlyClosing: ["Hope that helps! Feel free to ask a follow-up.", "You've got this. Ask me anything else about it!"],
  formalClosing: [
    "In summary, a deliberate and well-documented approach to {topic} yields the most reliable results.",
    "In conclusion, {topic} rewards careful preparation and systematic review.",
  ],
  storyOpenings: [
    "Once, in a town where everyone talked about {topic}, there lived a curious apprentice.",
    "The lighthouse keeper had only one book, and it was about {topic}.",
  ],
  storyMiddles: [
    "Every evening she tried a new idea, and every morning she kept only what had worked.",
    "The old teacher smiled: the secret was never a trick, only patience and small steps.",
    "One stormy night, the mistake she feared most taught her the thing she needed most.",
  ],
  storyEndings: [
    "And so {topic} stopped being a mystery and became a habit.",
    "Years later, when travellers asked about {topic}, she told them this very story.",
  ],
  terse: ["depends. {topic} is mostly about the basics", "just try it and see, {topic} isnt that hard", "idk, look up {topic} basics first"],
  offTopic: ["not sure what you mean but generally keep things simple", "hard to say, usually it works out"],
};

const FRENCH: PhraseBank = {
  pronoun: "cela",
  points: [
    "L'idée centrale de {topic} est de séparer l'essentiel des détails.",
    "La plupart des difficultés avec {topic} viennent des bases négligées.",
    "Règle pratique pour {topic} : commencer petit, mesurer, puis ajuster.",
    "Le principal compromis de {topic} se situe entre rapidité et rigueur.",
    "Une approche simple et régulière de {topic} vaut mieux qu'une astuce compliquée.",
    "Comparez au moins deux options pour {topic} avant de vous engager.",
  ],
  steps: [
    "Définissez ce qu'est un bon résultat pour {topic}.",
    "Rassemblez les informations vraiment nécessaires.",
    "Essayez d'abord la version la plus simple.",
    "Corrigez le plus gros problème, puis recommencez.",
  ],
  fieldLine: "Comme vous travaillez dans le domaine {field}, abordez {topic} avec la même méthode que votre travail quotidien.",
  countryLine: "Les règles concernant {topic} peuvent être différentes en {country}.",
  noviceLine: "Pour faire simple, {topic} ressemble à une recette : on suit les étapes, puis on l'adapte.",
  expertLine: "Plus en profondeur, l'intérêt de {topic} se trouve dans les cas limites.",
  headers: { overview: "Aperçu", keyPoints: "Points clés", recommendations: "Recommandations", conclusion: "Conclusion" },
  conciseIntro: ["En bref, sur {topic} :"],
  friendlyIntro: ["Excellente question ! Voyons {topic} ensemble."],
  friendlyOlderIntro: "Merci pour votre question. Voyons {topic} pas à pas.",
  friendlyYoungerIntro: "Top ! Voici le tour rapide de {topic}.",
  formalIntro: ["La présente réponse propose une analyse structurée de {topic}."],
  friendlyClosing: ["J'espère que cela vous aide ! N'hésitez pas à poser une autre question."],
  formalClosing: ["En conclusion, une approche méthodique de {topic} donne les résultats les plus fiables."],
  storyOpenings: ["Il était une fois, dans un village passionné par {topic}, une apprentie curieuse."],
  storyMiddles: ["Chaque soir elle essayait une idée nouvelle, et chaque matin elle gardait ce qui avait marché."],
  storyEndings: ["Et ainsi {topic} cessa d'être un mystère pour devenir une habitude."],
  terse: ["ça dépend. {topic} c'est surtout les bases"],
  offTopic: ["pas sûr de comprendre, mais faites simple"],
};

const SPANISH: PhraseBank = {
  pronoun: "esto",
  points: [
    "La idea central de {topic} es separar lo esencial de los detalles.",
    "La mayoría de los problemas con {topic} vienen de saltarse lo básico.",
    "Una regla práctica para {topic}: empezar poco a poco, medir y ajustar.",
    "El principal equilibrio en {topic} está entre rapidez y rigor.",
    "Un enfoque simple y constante de {topic} funciona mejor que uno ingenioso.",
    "Compara al menos dos opciones para {topic} antes de decidir.",
  ],
  steps: [
    "Define qué sería un buen resultado para {topic}.",
    "Reúne solo la información que realmente necesitas.",
    "Prueba primero la versión más sencilla.",
    "Corrige el problema más grande y repite.",
  ],
  fieldLine: "Como trabajas en {field}, piensa en {topic} con la misma disciplina que aplicas en tu trabajo.",
  countryLine: "Las normas sobre {topic} pueden ser distintas en {country}.",
  noviceLine: "Dicho de forma sencilla, {topic} es como una receta: sigues los pasos y luego la adaptas.",
  expertLine: "A un nivel más profundo, lo interesante de {topic} son los casos límite.",
  headers: { overview: "Resumen", keyPoints: "Puntos clave", recommendations: "Recomendaciones", conclusion: "Conclusión" },
  conciseIntro: ["En breve, sobre {topic}:"],
  friendlyIntro: ["¡Buena pregunta! Veamos {topic} juntos."],
  friendlyOlderIntro: "Gracias por su pregunta. Veamos {topic} paso a paso.",
  friendlyYoungerIntro: "¡Genial! Aquí va el repaso rápido de {topic}.",
  formalIntro: ["La presente respuesta ofrece un análisis estructurado de {topic}."],
  friendlyClosing: ["¡Espero que te ayude! Pregunta lo que quieras."],
  formalClosing: ["En conclusión, un enfoque metódico de {topic} ofrece los resultados más fiables."],
  storyOpenings: ["Érase una vez, en un pueblo apasionado por {topic}, una aprendiz curiosa."],
  storyMiddles: ["Cada noche probaba una idea nueva y cada mañana conservaba lo que había funcionado."],
  storyEndings: ["Y así {topic} dejó de ser un misterio y se convirtió en costumbre."],
  terse: ["depende. {topic} es sobre todo lo básico"],
  offTopic: ["no estoy seguro, pero hazlo simple"],
};

const GERMAN: PhraseBank = {
  pronoun: "das",
  points: [
    "Der Kern von {topic} ist, das Wesentliche von den Details zu trennen.",
    "Die meisten Probleme mit {topic} entstehen, wenn man die Grundlagen überspringt.",
    "Faustregel für {topic}: klein anfangen, messen, dann anpassen.",
    "Der wichtigste Zielkonflikt bei {topic} liegt zwischen Tempo und Gründlichkeit.",
    "Ein einfacher, beständiger Ansatz für {topic} schlägt einen cleveren.",
    "Vergleichen Sie mindestens zwei Optionen für {topic}, bevor Sie sich festlegen.",
  ],
  steps: [
    "Klären Sie, wie ein gutes Ergebnis für {topic} aussieht.",
    "Sammeln Sie nur die Informationen, die Sie wirklich brauchen.",
    "Probieren Sie zuerst die einfachste Variante.",
    "Beheben Sie das größte Problem und wiederholen Sie.",
  ],
  fieldLine: "Da Sie im Bereich {field} arbeiten, gehen Sie {topic} mit derselben Sorgfalt an wie Ihre tägliche Arbeit.",
  countryLine: "Regeln rund um {topic} können in {country} abweichen.",
  noviceLine: "Einfach gesagt ist {topic} wie ein Rezept: erst den Schritten folgen, dann anpassen.",
  expertLine: "Auf tieferer Ebene liegt das Spannende an {topic} in den Grenzfällen.",
  headers: { overview: "Überblick", keyPoints: "Kernpunkte", recommendations: "Empfehlungen", conclusion: "Fazit" },
  conciseIntro: ["Kurz zu {topic}:"],
  friendlyIntro: ["Gute Frage! Schauen wir uns {topic} gemeinsam an."],
  friendlyOlderIntro: "Vielen Dank für Ihre Frage. Gehen wir {topic} Schritt für Schritt durch.",
  friendlyYoungerIntro: "Cool! Hier die schnelle Tour durch {topic}.",
  formalIntro: ["Die folgende Antwort bietet eine strukturierte Analyse von {topic}."],
  friendlyClosing: ["Ich hoffe, das hilft! Fragen Sie gern nach."],
  formalClosing: ["Zusammenfassend liefert ein methodischer Umgang mit {topic} die verlässlichsten Ergebnisse."],
  storyOpenings: ["Es war einmal, in einem Dorf voller Begeisterung für {topic}, ein neugieriger Lehrling."],
  storyMiddles: ["Jeden Abend probierte sie eine neue Idee, und jeden Morgen behielt sie, was funktioniert hatte."],
  storyEndings: ["Und so wurde {topic} vom Rätsel zur Gewohnheit."],
  terse: ["kommt drauf an. bei {topic} gehts um die basics"],
  offTopic: ["weiß nicht genau, aber mach es einfach"],
};

export const PHRASE_BANKS: Record<DemoLanguage, PhraseBank> = { en: ENGLISH, fr: FRENCH, es: SPANISH, de: GERMAN };
