/**
 * The rule set of the offline prompt classifier: one detector per category, each a few documented
 * signals in the languages our annotators write in (English, the large European languages, Russian,
 * Chinese, Japanese, Korean, Arabic, Hindi). A detector sees the whole conversation's user turns.
 * Precision and recall per category are measured by `npm run bench:categories` on
 * tests/fixtures/categories/prompts.jsonl.
 */

/** Programming languages, tools and formats whose name alone makes a prompt a coding prompt. */
const CODE_NAMES =
  /(?<![\p{L}\p{N}_])(python|javascript|typescript|java(?!\s+(?:island|worth))|c\+\+|c#|golang|rust(?! belt)|kotlin|swift ?ui|ruby|php|haskell|scala|perl|bash|shell script|powershell|sql|mysql|postgres(?:ql)?|sqlite|mongodb|redis|html|css|flexbox|react|next\.?js|node(?:\.js)?|vue|angular|django|flask|fastapi|numpy|pandas|polars|pytest|jest|docker(?:file)?|kubernetes|k8s|nginx|git|github|regex|regular expression|api|rest api|graphql|tokio|jvm|cron|s3|aws|linux|tcp|http|webpack|tailwind|excel formula|vba)(?![\p{L}\p{N}_])/iu;

/** Programming vocabulary in any of our languages. */
const CODE_TERMS =
  /(?<![\p{L}\p{N}_])(function|funktion|fonction|función|funzione|funcão|função|funkcj\w*|fonksiyon|code|coding|program(?:ming)?|script|debug\w*|bug|compile\w*|stack trace|exception|null ?pointer|segfault|syntax error|recursion|algorithm|array|linked list|hash ?map|class(?:es)?|interface|constructor|variable|loop|pętl\w*|loop|goroutine|thread|mutex|deadlock|race condition|async|await|promise|callback|closure|endpoint|query|requête|consulta|database|datenbank|base de (?:datos|données)|schema|migration|unit tests?|refactor\w*|big-o|time complexity|dependency injection|virtual environment|re-?render\w*|component|hook|commit|rebase|merge conflict|lru cache|rate limiter|backpressure|reverse proxy|deploy\w*|div)(?![\p{L}\p{N}_])/iu;

const CODE_TERMS_CJK = /(函数|代码|编程|程序|数组|関数|配列|コード|プログラム|파이썬|코드|함수|리스트를 정렬|دالة|برمجة|массив|скрипт|JSON-файл|Excel文件)/u;

/** Code itself: fenced blocks, calls, operators and error names. */
const CODE_SHAPES =
  /(```|`[^`\n]+`|\b\w+\([^)]*\)\s*[{:]|=>|\bdef \w+\(|\bfor \w+ in\b|;\s*do\b|^\s*(?:import|from) [\w.]+|\w+Error\b|\bTypeError\b|<\/?[a-z]+>|\$\{|\bconsole\.log\b|#include|\{\s*"\w+"\s*:)/mu;

export function looksLikeCoding(text: string): boolean {
  return CODE_NAMES.test(text) || CODE_SHAPES.test(text) || CODE_TERMS_CJK.test(text) || countMatches(text, CODE_TERMS) >= 1;
}

/** Mathematical vocabulary across our languages. */
const MATH_TERMS =
  /(?<![\p{L}\p{N}_])(solve|solving|equation|derivative|integral|limit of|eigenvalues?|matrix|determinant|probability|expected value|standard deviation|variance|prime numbers?|prime|factor(?:i[sz]e)?|simplify|fraction|square root|cube|power of|log(?:arithm)? base|percent(?:age)?|perimeter|area of|circumference|radius|hypotenuse|triangle|angles?|polynomial|theorem|prove|proof|converge\w*|series|permutations?|arrange the letters|how many ways|compound(?:ed)? interest|relative risk|confidence interval|number needed to treat|calculate|compute|round (?:that|it) to|times|divided by|multiplied|sum of|löse|gleichung|ableitung|wahrscheinlichkeit|résous|équation|dérivée|probabilité|resuelve|ecuación|calcula|área|derivada|probabilidad|soma dos ângulos|ângulos|radice quadrata|macht|üçgen|iç açıları|производн\w*|уравнени\w*|площадь|вероятност\w*|fahrenheit|celsius|to a fraction|prime number|power of|macht|por \d|radice|quadrat\w*|toplam\w*|açı\w*|dés|dice|probabilit\w*|discount)(?![\p{L}\p{N}_])/iu;

const MATH_TERMS_CJK = /(解方程|方程|面积|概率|导数|積分|面積|底辺|三角形|제곱|넓이|확률|छूट|प्रतिशत|कीमत)/u;

/** An arithmetic or algebraic expression: digits or a variable joined by an operator. */
const MATH_EXPRESSION =
  /(\d\s*[-+*/×÷^=]\s*[\d(x]|[a-z]\^\d|\d+\s*[xy]\b|[xy]²|x\s*[-+]\s*\d|\d+\s*%|\b\d+\s*(?:percent|por ciento|pour cent)\b|\bpi\b|√|∫|\bsin\(|\bcos\(|\bln\(|\d+\s*(?:cm|mph)\b)/iu;

export function looksLikeMath(text: string): boolean {
  const terms = countMatches(text, MATH_TERMS) + (MATH_TERMS_CJK.test(text) ? 1 : 0);
  if (terms >= 2 || /[=]\s*\d|\d\s*[-+*/^]\s*\d|\d+\s*%\s*\p{L}{0,3}\s*\d/u.test(text)) return true;
  return terms >= 1 && (MATH_EXPRESSION.test(text) || /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred)\b/iu.test(text));
}

/** Forms of creative writing. */
const CREATIVE_FORMS =
  /(?<![\p{L}\p{N}_])(poem|poetry|poetic|haiku|limerick|sonnet|ballad|verse|rhyme|lyrics|song|rap|story|stories|tale|fable|myth|fairy tale|novel|screenplay|scene|monologue|dialogue|character backstory|toast|love letter|gedicht|geschichte|poème|poésie|histoire|poema|cuento|história|poesia|storia|verhaal|wiersz|стихотворение|рассказ|сказк\w*|gedicht)(?![\p{L}\p{N}_])/iu;

const CREATIVE_FORMS_CJK = /(诗|詩|故事|物語|시를|이야기|قصيدة|قصة|कविता|कहानी)/u;

/** Asking for the piece to be made (not asking about an existing one). */
const CREATIVE_REQUEST =
  /(?<![\p{L}\p{N}_])(write|compose|create|draft|invent|make up|tell me a|continue the story|describe .* in (?:vivid|poetic)|schreib\w*|erzähl\w*|écri[st]|escrib\w*|escreva|scrivi|schrijf|napisz|напиши|придумай)(?![\p{L}\p{N}_])|(写一|書いて|써 주세요|اكتب|लिखिए|लिखो)/iu;

const ABOUT_EXISTING = /\b(who wrote|wer schrieb|qui a écrit|quién escribió|what is it about|behind the)\b/iu;

export function looksLikeCreativeWriting(text: string): boolean {
  if (ABOUT_EXISTING.test(text)) return false;
  const form = CREATIVE_FORMS.test(text) || CREATIVE_FORMS_CJK.test(text);
  if (form && CREATIVE_REQUEST.test(text)) return true;
  return /\b(describe|beschreibe)\b[^.?!]*\b(vivid|poetic|poetisch)/iu.test(text);
}

/**
 * Explicit constraints on the answer's form: exact counts, length limits, required or forbidden
 * words, output formats, casing, ordering and "only"-answers.
 */
const FORMAT_CONSTRAINTS: readonly RegExp[] = [
  /\b(exactly|genau|exactement|exactamente|exatamente|esattamente|ровно)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|zwei|drei|vier|fünf|deux|trois|quatre|dos|tres|cuatro|duas|quatro|due|tre)\b/iu,
  /\b(under|fewer than|less than|no more than|at most|höchstens|maximal|moins de|menos de|not more than|keep (?:it|each) under)\s+\d+\s*(words?|sentences?|characters?|lines?|wörtern?|mots|palabras|palavras)/iu,
  /\b(in|within|using)\s+(\d+|one|two|three|four|five)\s+(bullet points|sentences|words|numbered steps|paragraphs|lines)\b/iu,
  /\b(\d+|one|two|three|four|five)[- ]word\b/iu,
  /\b(only output|respond only|reply only|answer only|output only|only the (?:code|final answer|command)|code only|just the (?:code|command)|with just the|no explanation|no other (?:words|text|headings)|nothing else|sans explication|sin explicación|sem mais nenhum texto|senza altro testo|ohne erklärung)\b|без пояснений/iu,
  /\b(give only|answer with (?:yes|no)|only with "|respond only with|"yes" or "no")/iu,
  /\b(do not|don't|must not|without using|never use|sans utiliser|sin usar|ohne das wort|senza usare)\b[^.?!]*\b(word|words|letter|letters|mot|palabra|wort|parola|term)\b/iu,
  /\b(do not use the words?|must not contain)\b/iu,
  /\b(as|in|formatted as|format(?:ted)? (?:it )?as)\s+(a |an )?(json|markdown table|table|bullet points|numbered list|bulleted list|comma-separated list|csv)\b/iu,
  /\breply in json\b|\bin json with the keys\b/iu,
  /\b(use bullet points|use a section titled|section titled|als aufzählung|sous forme de liste|numbered list|liste numérotée|lista numerada)\b/iu,
  /\b(all capital letters|all caps|uppercase|in lowercase|all lowercase|lowercase only|en majuscules|en mayúsculas)\b/iu,
  /\b(start(?:s)? (?:every|each) (?:sentence|line) with|every line starts with|end (?:your answer )?with the phrase|begin with the word|sign it)\b/iu,
  /\b(alphabetical order|ordem alfabética|orden alfabético|ordine alfabetico|ordre alphabétique|alphabetisch)\b/iu,
  /(one per line|una per riga|separated by (?:semicolons|commas)|separadas por vírgulas|через запятую|semicolons)/iu,
  /\b(wrap(?:ping)? (?:your|the) (?:entire )?answer in|in double quotation marks)\b/iu,
  /\b(in the second person|in the first person|in the passive voice)\b/iu,
  /\b(the second of which must|the first must mention|must end with a question|must be a question)\b/iu,
  /(不超过|每句话|句话介绍|以内で|자 이내)/u,
  /\b(with the columns|with columns)\b/iu,
];

export function looksLikeInstructionFollowing(text: string): boolean {
  return FORMAT_CONSTRAINTS.some((pattern) => pattern.test(text));
}

function countMatches(text: string, pattern: RegExp): number {
  const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  let count = 0;
  for (const _ of text.matchAll(global)) count++;
  return count;
}
