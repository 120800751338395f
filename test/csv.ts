/**
 * A strict CSV reader for the tests of tokengraph's CSV export (contract §11): the integration
 * tests read /inventory.csv with it, and the browser tests the file the overview page saves.
 */

/** RFC 4180, read strictly: quoted fields may hold commas, quotes (doubled) and line breaks; records end in CRLF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else field += text[i++];
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (text[i] === '\n') throw new Error(`a bare LF at ${i}: records must end in CRLF`);
    else field += text[i++];
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}
