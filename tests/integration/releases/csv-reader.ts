/** Test helper: reads CSV back to compare it with what was written. */
/** Minimal RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): Array<Array<string | null>> {
  const records: Array<Array<string | null>> = [];
  let record: Array<string | null> = [];
  let index = 0;
  while (index < text.length) {
    let field: string | null;
    if (text[index] === '"') {
      let value = "";
      index++;
      for (;;) {
        const quote = text.indexOf('"', index);
        if (quote < 0) throw new Error("unterminated quoted field");
        value += text.slice(index, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
        } else {
          index = quote + 1;
          break;
        }
      }
      field = value;
    } else {
      let end = index;
      while (end < text.length && text[end] !== "," && text[end] !== "\r") end++;
      field = end === index ? null : text.slice(index, end);
      index = end;
    }
    record.push(field);
    if (text[index] === ",") {
      index++;
    } else if (text.startsWith("\r\n", index)) {
      records.push(record);
      record = [];
      index += 2;
    } else if (index < text.length) {
      throw new Error(`unexpected character ${JSON.stringify(text[index])} at ${index}`);
    }
  }
  if (record.length > 0) records.push(record);
  return records;
}
