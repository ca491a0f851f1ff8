/**
 * Strings numbered in order of first appearance. Invariant: `values[index(v)] === v`, and an index
 * never changes, so typed arrays can store indices instead of strings.
 */
export class Dictionary {
  readonly values: string[] = [];
  private readonly indices = new Map<string, number>();

  /** A dictionary numbering `values` in their order (duplicates keep their first index). */
  static from(values: readonly string[]): Dictionary {
    const dictionary = new Dictionary();
    for (const value of values) dictionary.index(value);
    return dictionary;
  }

  index(value: string): number {
    let index = this.indices.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.indices.set(value, index);
    }
    return index;
  }

  get size(): number {
    return this.values.length;
  }
}
