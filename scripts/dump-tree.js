// Prints a tree-sitter parse tree with field names: node scripts/dump-tree.js file.rs
const P=require('tree-sitter'),R=require('tree-sitter-rust');const p=new P();p.setLanguage(R);
const src=require('fs').readFileSync(process.argv[2],'utf8');
function dump(n,d,f){ const name=f?f+': ':''; console.log(' '.repeat(d*2)+name+(n.isNamed?n.type:JSON.stringify(n.type))+(n.childCount===0?' '+JSON.stringify(n.text):'')); for(let i=0;i<n.childCount;i++){ dump(n.child(i),d+1,n.fieldNameForChild(i)); } }
dump(p.parse(src).rootNode,0);
