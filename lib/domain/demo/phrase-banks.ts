import type { DemoLanguage } from "./persona-hints";

/**
 * Sentence banks of the offline demo models for French, Spanish and German. Placeholders: {topic}, {field},
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
  fieldLine: "Avec votre expérience dans le domaine {field}, abordez {topic} avec la même méthode.",
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
  fieldLine: "Con tu experiencia en {field}, piensa en {topic} con la misma disciplina que ya conoces.",
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
  fieldLine: "Mit Ihrem Hintergrund im Bereich {field} gehen Sie {topic} mit derselben Sorgfalt an, die Sie schon kennen.",
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

/** English answers are written by english-answers.ts, shaped by request kind. */
export type BankLanguage = Exclude<DemoLanguage, "en">;

export const PHRASE_BANKS: Record<BankLanguage, PhraseBank> = { fr: FRENCH, es: SPANISH, de: GERMAN };
