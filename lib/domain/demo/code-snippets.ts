import type { CodeLanguage } from "./request-kind";

/**
 * Working code for the programming tasks people try first, per language, so a demo model asked for
 * code answers with code that runs. Tasks not listed get a small, honest skeleton named after the
 * task (see `codeForTask`). `buggy` is what the weakest demo model writes: plausible but wrong.
 */
interface CodeTask {
  match: RegExp;
  name: string;
  note: string;
  code: Partial<Record<CodeLanguage, string>>;
  buggy?: Partial<Record<CodeLanguage, string>>;
}

const TASKS: readonly CodeTask[] = [
  {
    match: /\brevers/i,
    name: "reverse_string",
    note: "Slicing with a step of -1 walks the string backwards; it runs in O(n).",
    code: {
      python: `def reverse_string(text: str) -> str:\n    return text[::-1]\n\n\nprint(reverse_string("hello"))  # olleh`,
      javascript: `function reverseString(text) {\n  return [...text].reverse().join("");\n}\n\nconsole.log(reverseString("hello")); // olleh`,
      typescript: `function reverseString(text: string): string {\n  return [...text].reverse().join("");\n}\n\nconsole.log(reverseString("hello")); // olleh`,
      bash: `echo "hello" | rev   # olleh`,
    },
    buggy: { python: `def reverse_string(text):\n    return text.reverse()`, javascript: `function reverseString(text) {\n  return text.reverse();\n}` },
  },
  {
    match: /\bfibonacci\b/i,
    name: "fibonacci",
    note: "Iterating keeps it O(n) time and O(1) memory, unlike the naive recursive version.",
    code: {
      python: `def fibonacci(n: int) -> list[int]:\n    """The first n Fibonacci numbers."""\n    numbers, a, b = [], 0, 1\n    for _ in range(n):\n        numbers.append(a)\n        a, b = b, a + b\n    return numbers\n\n\nprint(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]`,
      javascript: `function fibonacci(n) {\n  const numbers = [];\n  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) {\n    numbers.push(a);\n    [a, b] = [b, a + b];\n  }\n  return numbers;\n}\n\nconsole.log(fibonacci(10));`,
      typescript: `function fibonacci(n: number): number[] {\n  const numbers: number[] = [];\n  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) {\n    numbers.push(a);\n    [a, b] = [b, a + b];\n  }\n  return numbers;\n}`,
    },
    buggy: { python: `def fibonacci(n):\n    return fibonacci(n - 1) + fibonacci(n - 2)` },
  },
  {
    match: /\bfactorial\b/i,
    name: "factorial",
    note: "A loop avoids Python's recursion limit for large n; math.factorial does the same in C.",
    code: {
      python: `def factorial(n: int) -> int:\n    if n < 0:\n        raise ValueError("n must be non-negative")\n    result = 1\n    for k in range(2, n + 1):\n        result *= k\n    return result\n\n\nprint(factorial(5))  # 120`,
      javascript: `function factorial(n) {\n  if (n < 0) throw new RangeError("n must be non-negative");\n  let result = 1n;\n  for (let k = 2n; k <= BigInt(n); k++) result *= k;\n  return result;\n}\n\nconsole.log(factorial(20)); // 2432902008176640000n`,
    },
  },
  {
    match: /\bpalindrome/i,
    name: "is_palindrome",
    note: "Normalising case and dropping non-letters makes \"A man, a plan, a canal: Panama\" count.",
    code: {
      python: `def is_palindrome(text: str) -> bool:\n    letters = [c.lower() for c in text if c.isalnum()]\n    return letters == letters[::-1]\n\n\nprint(is_palindrome("A man, a plan, a canal: Panama"))  # True`,
      javascript: `function isPalindrome(text) {\n  const letters = text.toLowerCase().replace(/[^a-z0-9]/g, "");\n  return letters === [...letters].reverse().join("");\n}\n\nconsole.log(isPalindrome("A man, a plan, a canal: Panama")); // true`,
    },
    buggy: { python: `def is_palindrome(text):\n    return text == text[::-1]` },
  },
  {
    match: /\bprimes?\b/i,
    name: "is_prime",
    note: "Trial division up to √n is enough: a larger factor would pair with a smaller one already tried.",
    code: {
      python: `def is_prime(n: int) -> bool:\n    if n < 2:\n        return False\n    if n % 2 == 0:\n        return n == 2\n    divisor = 3\n    while divisor * divisor <= n:\n        if n % divisor == 0:\n            return False\n        divisor += 2\n    return True\n\n\nprint([n for n in range(20) if is_prime(n)])`,
      javascript: `function isPrime(n) {\n  if (n < 2) return false;\n  if (n % 2 === 0) return n === 2;\n  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;\n  return true;\n}`,
    },
    buggy: { python: `def is_prime(n):\n    for d in range(2, n):\n        if n % d == 0:\n            return False\n    return True  # says 0 and 1 are prime` },
  },
  {
    match: /\bfizz ?buzz\b/i,
    name: "fizzbuzz",
    note: "Checking 15 first (or building the string) avoids the classic ordering bug.",
    code: {
      python: `for n in range(1, 101):\n    word = ("Fizz" if n % 3 == 0 else "") + ("Buzz" if n % 5 == 0 else "")\n    print(word or n)`,
      javascript: `for (let n = 1; n <= 100; n++) {\n  const word = (n % 3 === 0 ? "Fizz" : "") + (n % 5 === 0 ? "Buzz" : "");\n  console.log(word || n);\n}`,
    },
  },
  {
    match: /\b(duplicates?|unique|dedup)/i,
    name: "remove_duplicates",
    note: "dict.fromkeys keeps the first occurrence and the original order, in O(n).",
    code: {
      python: `def remove_duplicates(items: list) -> list:\n    return list(dict.fromkeys(items))\n\n\nprint(remove_duplicates([3, 1, 3, 2, 1]))  # [3, 1, 2]`,
      javascript: `const removeDuplicates = (items) => [...new Set(items)];\n\nconsole.log(removeDuplicates([3, 1, 3, 2, 1])); // [3, 1, 2]`,
      sql: `SELECT DISTINCT email\nFROM customers;`,
    },
  },
  {
    match: /\b(count|frequency|frequencies) (?:of )?(?:the )?words?\b|\bword (count|frequency)\b/i,
    name: "word_counts",
    note: "Counter does the tallying; lower-casing and a simple regex handle punctuation.",
    code: {
      python: `import re\nfrom collections import Counter\n\n\ndef word_counts(text: str) -> Counter:\n    return Counter(re.findall(r"[a-z']+", text.lower()))\n\n\nprint(word_counts("the cat and the hat").most_common(2))  # [('the', 2), ('cat', 1)]`,
      javascript: `function wordCounts(text) {\n  const counts = new Map();\n  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);\n  return counts;\n}`,
      bash: `tr -cs "[:alpha:]'" "\\n" < input.txt | tr "[:upper:]" "[:lower:]" | sort | uniq -c | sort -rn | head`,
    },
  },
  {
    match: /\bsort/i,
    name: "sort_by_key",
    note: "sorted() is stable and O(n log n); pass key= instead of writing a comparison.",
    code: {
      python: `people = [{"name": "Ada", "age": 36}, {"name": "Alan", "age": 41}, {"name": "Grace", "age": 29}]\n\nby_age = sorted(people, key=lambda person: person["age"])\nprint([person["name"] for person in by_age])  # ['Grace', 'Ada', 'Alan']`,
      javascript: `const people = [{ name: "Ada", age: 36 }, { name: "Alan", age: 41 }, { name: "Grace", age: 29 }];\n\nconst byAge = [...people].sort((a, b) => a.age - b.age);\nconsole.log(byAge.map((person) => person.name)); // ["Grace", "Ada", "Alan"]`,
      sql: `SELECT name, age\nFROM people\nORDER BY age ASC;`,
      bash: `sort -t, -k2 -n people.csv`,
    },
    buggy: { javascript: `const byAge = people.sort(); // sorts "[object Object]" strings` },
  },
  {
    match: /\b(read|open|parse)\b.*\b(csv)\b|\bcsv\b/i,
    name: "read_csv",
    note: "csv.DictReader handles quoting and gives one dict per row keyed by the header.",
    code: {
      python: `import csv\n\n\ndef read_rows(path: str) -> list[dict]:\n    with open(path, newline="", encoding="utf-8") as file:\n        return list(csv.DictReader(file))\n\n\nrows = read_rows("data.csv")\nprint(len(rows), rows[:2])`,
      javascript: `import { readFile } from "node:fs/promises";\n\n// For real-world CSV (quotes, commas inside fields) use a parser such as csv-parse.\nconst [header, ...lines] = (await readFile("data.csv", "utf8")).trim().split("\\n");\nconst keys = header.split(",");\nconst rows = lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [keys[i], value])));`,
    },
  },
  {
    match: /\b(read|open)\b.*\bfile\b|\bfile\b.*\blines?\b/i,
    name: "read_lines",
    note: "The with-block closes the file even if an error happens half-way.",
    code: {
      python: `def read_lines(path: str) -> list[str]:\n    with open(path, encoding="utf-8") as file:\n        return [line.rstrip("\\n") for line in file]\n\n\nlines = read_lines("notes.txt")\nprint(f"{len(lines)} lines")`,
      javascript: `import { readFile } from "node:fs/promises";\n\nconst lines = (await readFile("notes.txt", "utf8")).split(/\\r?\\n/);\nconsole.log(\`\${lines.length} lines\`);`,
      bash: `wc -l notes.txt\nwhile IFS= read -r line; do echo "$line"; done < notes.txt`,
    },
  },
  {
    match: /\b(http|api|fetch|request|download|json)\b/i,
    name: "fetch_json",
    note: "Check the status before parsing, and always set a timeout.",
    code: {
      python: `import json\nfrom urllib.request import urlopen\n\n\ndef fetch_json(url: str, timeout: float = 10) -> dict:\n    with urlopen(url, timeout=timeout) as response:\n        if response.status != 200:\n            raise RuntimeError(f"HTTP {response.status}")\n        return json.load(response)`,
      javascript: `async function fetchJson(url) {\n  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });\n  if (!response.ok) throw new Error(\`HTTP \${response.status}\`);\n  return response.json();\n}`,
      typescript: `async function fetchJson<T>(url: string): Promise<T> {\n  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });\n  if (!response.ok) throw new Error(\`HTTP \${response.status}\`);\n  return (await response.json()) as T;\n}`,
      bash: `curl --fail --silent --max-time 10 https://example.org/api/items | jq '.'`,
    },
  },
  {
    match: /\b(per|by|each|group)\b/i,
    name: "count_per_group",
    note: "GROUP BY with COUNT gives one row per group; the LEFT JOIN keeps groups with zero rows.",
    code: {
      sql: `SELECT c.id, c.name, COUNT(o.id) AS order_count\nFROM customers AS c\nLEFT JOIN orders AS o ON o.customer_id = c.id\nGROUP BY c.id, c.name\nORDER BY order_count DESC;`,
      python: `from collections import Counter\n\norders = [{"customer": "ada"}, {"customer": "alan"}, {"customer": "ada"}]\nprint(Counter(order["customer"] for order in orders))  # Counter({'ada': 2, 'alan': 1})`,
    },
    buggy: { sql: `SELECT customer_id, COUNT(*) FROM orders;` },
  },
  {
    match: /\b(large|big|biggest|largest)\b.*\bfiles?\b|\bdisk\b/i,
    name: "largest_files",
    note: "du measures real disk use; sort -h understands the K/M/G suffixes.",
    code: {
      bash: `du -ah . 2>/dev/null | sort -rh | head -n 10`,
      python: `from pathlib import Path\n\nfiles = sorted(Path(".").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0, reverse=True)\nfor path in files[:10]:\n    print(path.stat().st_size, path)`,
    },
  },
];

export interface CodeAnswer {
  language: CodeLanguage;
  code: string;
  note: string;
  /** True when the snippet is a skeleton for a task this demo does not know. */
  skeleton: boolean;
}

/** snake_case or camelCase identifier from a task phrase: "parsing log dates" → parse_log_dates. */
function identifierFor(task: string, language: CodeLanguage): string {
  const words = task
    .toLowerCase()
    .replace(/[^a-z0-9 ]/g, " ")
    .split(/\s+/)
    .filter((word) => word && !["a", "an", "the", "of", "to", "in", "my", "your", "some", "that", "which", "and"].includes(word))
    .slice(0, 4)
    
  if (words.length === 0) return "solve";
  if (language === "python" || language === "bash" || language === "sql") return words.join("_");
  return words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join("");
}

function skeleton(task: string, language: CodeLanguage): string {
  const name = identifierFor(task, language);
  switch (language) {
    case "javascript":
    case "typescript": {
      const types = language === "typescript" ? ": unknown[]" : "";
      return `/** ${task}: one pass over the input, keeping what passes the check. */\nfunction ${name}(items${types}) {\n  const result = [];\n  for (const item of items) {\n    if (item == null) continue; // skip missing values\n    result.push(item);\n  }\n  return result;\n}\n\nconsole.log(${name}([1, null, 2]));`;
    }
    case "sql":
      return `-- ${task}\nSELECT *\nFROM items\nWHERE created_at >= CURRENT_DATE - INTERVAL '30 days'\nORDER BY created_at DESC\nLIMIT 100;`;
    case "bash":
      return `#!/usr/bin/env bash\n# ${task}\nset -euo pipefail\n\nfor file in "\${1:-.}"/*; do\n  [ -f "$file" ] || continue\n  echo "processing $file"\ndone`;
    default:
      return `def ${name}(items: list) -> list:\n    """${task[0]?.toUpperCase() ?? ""}${task.slice(1)}: one pass, keeping the items that pass the check."""\n    result = []\n    for item in items:\n        if item is None:\n            continue  # skip missing values\n        result.append(item)\n    return result\n\n\nprint(${name}([1, None, 2]))`;
  }
}

/**
 * Code for the prompt's task in `language` (or the closest language the snippet exists in).
 * `buggy` asks for the weakest model's version when one exists.
 */
export function codeForTask(prompt: string, task: string, language: CodeLanguage, options: { buggy?: boolean } = {}): CodeAnswer {
  const known = TASKS.find((entry) => entry.match.test(prompt) && (entry.code[language] ?? entry.code.python));
  if (!known) return { language, code: skeleton(task, language), note: "Replace the check inside the loop with the rule your data needs, and add a test for an empty input.", skeleton: true };
  const variants = options.buggy && known.buggy ? known.buggy : known.code;
  const chosen: CodeLanguage = variants[language] ? language : (Object.keys(variants)[0] as CodeLanguage);
  return { language: chosen, code: variants[chosen]!, note: known.note, skeleton: false };
}
