// Prints each page's text as pdf.js (Firefox's reader) extracts it: one line per text line.
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, verbosity: 0, useSystemFonts: false }).promise;
for (let n = 1; n <= pdf.numPages; n++) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  let line = "";
  for (const item of content.items) {
    line += item.str;
    if (item.hasEOL) {
      process.stdout.write(line + "\n");
      line = "";
    }
  }
  if (line) process.stdout.write(line + "\n");
  process.stdout.write("\f");
}
