import subprocess,re,json
ranges={"lat":[(0xA0,0x24F),(0x1E00,0x1EFF),(0x2010,0x205F),(0x20A0,0x20BF),(0x2100,0x215F),(0x2190,0x2199),(0x2212,0x2212)],
 "grk":[(0x370,0x3FF),(0x1F00,0x1FFF)],"cyr":[(0x400,0x52F)]}
wrap={"lat":"%s","grk":"\\grk{%s}","cyr":"\\cyr{%s}"}
pre=r"""\documentclass{article}
\usepackage[LGR,T2A,T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{charter}
\tracinglostchars=2
\newcommand{\grk}[1]{{\fontencoding{LGR}\selectfont #1}}
\newcommand{\cyr}[1]{{\fontencoding{T2A}\selectfont #1}}
\begin{document}
"""
def run(name,body):
    open(name+".tex","w",encoding="utf-8").write(pre+body+"\\end{document}\n")
    subprocess.run(["pdflatex","-interaction=nonstopmode",name+".tex"],capture_output=True)
    return open(name+".log",encoding="latin-1").read()
ok={}
for k,rs in ranges.items():
    chars=[c for a,b in rs for c in range(a,b+1) if c!=0xAD]
    body="".join("\\ifcsname u8:\\detokenize{%s}\\endcsname\\typeout{DEF %04X}\\else\\typeout{UNDEF %04X}\\fi\n"%(chr(c),c,c) for c in chars)
    log=run(k+"_def",body)
    defined=[int(x,16) for x in re.findall(r"^DEF ([0-9A-F]{4})",log,re.M)]
    good=[]
    for i in range(0,len(defined),60):
        chunk=defined[i:i+60]
        body="".join("\\typeout{CHAR %04X}%s\n"%(c,wrap[k]%chr(c)) for c in chunk)+"\\typeout{CHAR END}"
        log=run(k+"_t",body)
        parts=re.split(r"^CHAR ([0-9A-F]{4}|END)$",log,flags=re.M)
        for j in range(1,len(parts)-1,2):
            if parts[j]=="END": continue
            seg=parts[j+1]
            if "\n!" not in seg and "Missing character" not in seg and "not available" not in seg:
                good.append(int(parts[j],16))
    ok[k]=good
    print(k,len(chars),"declared",len(defined),"good",len(good))
json.dump(ok,open("ok.json","w"))
