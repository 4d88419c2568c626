import { readTable } from './src/data/read.ts';
import { analyseFile, rolesFile } from './src/auto/analyse.ts';
const cases: Record<string,string> = {
  padcsv: '00001, 19970101,  1,  11.77\n00001, 19970112,  2,  12.00\n00002, 19970102,  2,  20.76\n00003, 19970101,  2,  20.76\n',
  padtext: 'id,   name, v\n  00001,   ab c,  1\n  00002,   de,  2\n',
  ws: '00001 19970101  1  11.77\n00001 19970112  2  12.00\n00002 19970102  2  20.76\n00003 19970101  2  20.76\n',
  wslead: '   1 19970101  1  11.77\r\n   1 19970112  2  12.00  \r\n\r\n   2 19970102\t2\t20.76\r\n  13 19970101  2  20.76',
  wshdr: 'cust   date      cds  amt\n00001 19970101  1  11.77\n00001 19970112  2  12.00\n00002 19970102  2  20.76\n',
  oneCol: 'name\nJohn Smith\nAnn Lee\nBob\n',
};
for (const [k, t] of Object.entries(cases)) {
  for (const ext of ['.csv', '.txt']) {
  try {
  const r = await readTable({ name: k + ext, bytes: new TextEncoder().encode(t) });
  console.log(k+ext, JSON.stringify(r.delimiter), JSON.stringify(r.types), JSON.stringify(r.table.objects().slice(0,3)), r.notes.map(n=>n.code).join());
  } catch (e) { console.log(k+ext, String(e)); }
  }
}
