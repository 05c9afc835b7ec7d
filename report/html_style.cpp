// The HTML report's inline stylesheet: fluid to phone width (long words and commands wrap, only
// the timeline drawing may scroll sideways), status conveyed by words as well as colour, and a
// dark variant. No web font, no external file.
#include "report/html_sections.hpp"

namespace meshdoctor::report::html {

const char* stylesheet() {
  return R"css(:root{--fg:#1d2330;--muted:#596273;--bg:#f5f6f8;--card:#fff;--line:#d8dce2;
--fail:#c62828;--warn:#a85f00;--unknown:#6a4c93;--pass:#2e7d32;--skipped:#6b7280;
--code:#eef0f3;--link:#1f5fbf;--ready:#2e7d32;--starting:#f0a202;--down:#c62828;--gray:#a7adb5}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#a3abb7;--bg:#15181d;--card:#1e2229;
--line:#363c46;--fail:#ef5350;--warn:#f0a202;--unknown:#b39ddb;--pass:#66bb6a;--skipped:#9aa1ab;
--code:#282d36;--link:#8ab4ff;--ready:#43a047;--down:#e53935;--gray:#79808a}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);overflow-wrap:anywhere;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.55rem;margin:.1rem 0 .3rem;display:flex;align-items:center;gap:.6rem}
h2{font-size:1.3rem;margin:2.2rem 0 .5rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
h3{font-size:1.08rem;margin:.1rem 0 .4rem}
h4{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:1rem 0 .3rem}
a{color:var(--link)}
p{margin:.4rem 0}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
code{background:var(--code);padding:.05rem .3rem;border-radius:4px}
pre{background:var(--code);padding:.7rem .9rem;border-radius:6px;margin:.3rem 0;white-space:pre-wrap;
overflow-wrap:anywhere}
.top,.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem}
.top{border-left:6px solid var(--skipped)}
.top.fail,.card.root{border-left:6px solid var(--fail)}
.top.warn{border-left-color:var(--warn)}.top.unknown{border-left-color:var(--unknown)}
.top.pass{border-left-color:var(--pass)}
.card{margin:.8rem 0}
.meta,.lead,.src{color:var(--muted)}
.verdict{font-weight:600;font-size:1.05rem}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.5rem 0}
.counts li{border:1px solid var(--line);border-radius:999px;padding:0 .7rem;font-size:.9rem}
.counts .fail b{color:var(--fail)}.counts .warn b{color:var(--warn)}
.counts .unknown b{color:var(--unknown)}.counts .pass b{color:var(--pass)}
nav{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;margin-top:.5rem}
.badge{display:inline-block;min-width:4.8em;text-align:center;border-radius:4px;padding:0 .4rem;
color:#fff;background:var(--skipped);font:700 .72rem/1.65 system-ui,sans-serif;letter-spacing:.05em;
vertical-align:.1em}
h1 .badge{font-size:.9rem;padding:.1rem .6rem}
.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}
.badge.unknown{background:var(--unknown)}.badge.pass{background:var(--pass)}
.id{font-weight:700;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace}
.card .msg{font-size:1.02rem}
ul{padding-left:1.3rem}
.evidence{margin:.2rem 0}.evidence li{margin:.2rem 0}
.chain,.chain ul{list-style:none;padding-left:1.3rem;margin:.15rem 0}
.chain li{position:relative;margin:.2rem 0}
.chain li::before{content:"\21B3";position:absolute;left:-1.2rem;color:var(--muted)}
.chain a{color:inherit;text-decoration:none}
.title{font-style:italic}
.about{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.3rem 0;font-size:.93rem}
.about dt{font-weight:600;color:var(--muted)}.about dd{margin:0}
.more,.note{color:var(--muted);font-size:.92rem}
.category{text-transform:uppercase;letter-spacing:.06em;font-size:.85rem;color:var(--muted);margin:1.4rem 0 .4rem}
details.finding{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--skipped);
border-radius:6px;margin:.35rem 0}
details.finding.fail{border-left-color:var(--fail)}details.finding.warn{border-left-color:var(--warn)}
details.finding.unknown{border-left-color:var(--unknown)}details.finding.pass{border-left-color:var(--pass)}
details.finding>summary{cursor:pointer;padding:.45rem .8rem}
details.finding>summary .msg{color:var(--muted)}
details.finding .body{padding:0 1rem .7rem;border-top:1px solid var(--line)}
.rel{font-size:.78rem;border:1px solid var(--line);border-radius:4px;padding:0 .3rem;color:var(--muted)}
.rel.root{color:var(--fail);border-color:var(--fail)}
details.more>summary,.node-list>summary{cursor:pointer;color:var(--link)}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1.2rem;list-style:none;padding:0;margin:.5rem 0;font-size:.88rem}
.legend li{display:flex;align-items:center;gap:.4rem}
.swatch{width:22px;height:12px;flex:none;overflow:visible}
.svg-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
svg.timeline{display:block;width:100%;min-width:760px;height:auto}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;fill:var(--fg)}
svg .tick,svg .axis-cap{fill:var(--muted);font-size:11px}
svg .grid{stroke:var(--line)}svg .sep{stroke:var(--line);stroke-width:1.5}
svg .node{font-weight:700;font-size:13px}svg .node-sum{font-weight:400;fill:var(--muted);font-size:12px}
svg .lane{fill:var(--muted);font-size:11.5px}
.bar.ready{fill:var(--ready)}.bar.starting{fill:var(--starting)}.bar.down{fill:var(--down)}
.bar.unknown{fill:var(--gray)}
svg text.in{font-size:11px;font-weight:600;fill:#fff}svg text.in.starting{fill:#1d2330}
.restart{stroke:var(--fg);stroke-width:2.5}
.ready-dot{fill:#fff;stroke:#1b5e20;stroke-width:2.5}
.pod-mark{fill:var(--fail);stroke:var(--card);stroke-width:1}
.guide{stroke:var(--fail);stroke-dasharray:2 3}
svg .pod-label{font-size:11.5px;paint-order:stroke;stroke:var(--card);stroke-width:4px;stroke-linejoin:round}
.now{stroke:var(--muted);stroke-width:1.5;stroke-dasharray:5 4}
svg .now-label{fill:var(--muted);font-size:10.5px}
svg .note{fill:var(--muted);font-style:italic}svg .note.bad{fill:var(--fail);font-style:normal}
.node-list>summary{font-weight:600;margin:.7rem 0 .3rem}
.nodes>li{margin:.5rem 0}
.plan{list-style:none;padding:0}
.plan-entry{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:.35rem 0}
.applied .fail,.verified .fail{color:var(--fail)}
.empty{padding:.8rem 1rem;background:var(--card);border:1px dashed var(--line);border-radius:8px}
footer{margin:2.5rem 0 1rem;padding-top:.8rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
footer .summary{color:var(--fg);font-weight:600}
@media (max-width:600px){main{padding:.6rem}.top,.card{padding:.8rem}h1{font-size:1.3rem}
h2{font-size:1.15rem}details.finding .body{padding:0 .7rem .6rem}.about{display:block}
.about dd{margin:0 0 .3rem}}
)css";
}

}  // namespace meshdoctor::report::html
