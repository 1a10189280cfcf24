/**
 * The words a name is searched by: letters and digits only, composed (NFC) and in lower case, each once.
 * The same function makes the stored words and the searched ones, so whatever a person types matches.
 */
export function searchWords(text: string): string[] {
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words)];
}
