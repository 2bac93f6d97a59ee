// One walk over an HTML page that finds every element extract-page reads before Readability:
// meta and link tags, JSON-LD, microdata, time elements, rel=tag and rel=author links, byline
// boxes, caption boxes and site chrome. On linkedom each document query is a walk of its own,
// and a page's twenty-odd queries cost more than Readability; one walk costs one.
import { captionRuleFor, type CaptionBox } from '../content/captions.ts';
import { isSimpleChrome } from '../content/chrome.ts';
import type { DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';

export interface PageIndex {
  /** "p:og:title" (property=) and "n:author" (name=) -> content; the first of each wins. Keys
   * are lower-cased: pages write DC.Date.Issued, dc.date.issued and OG:Image alike. */
  metas: Map<string, string>;
  /** Every value of the author metas (name=author, dc.creator, article:author, …): pages repeat
   * them, one person a tag (ietf's DC.Creator twice; the publisher's then the writer's author). */
  authorMetas: Map<string, string[]>;
  /** Every article:tag (a page has one per tag; metas keeps only the first). */
  articleTags: string[];
  base?: string | undefined;
  canonical?: string | undefined;
  /** link rel=image_src: the image a page declares for sharing, before Open Graph. */
  imageSrc?: string | undefined;
  jsonLd: string[];
  /** The page's h1 elements, the first few, in document order. */
  h1s: DomElement[];
  /** Its h2 elements, the first few: blog themes print the post's title as an h2. */
  h2s: DomElement[];
  /** rel=tag links (RFC-style microformat rel-tag), without the category ones. */
  tagLinks: string[];
  /** rel="category tag" links: WordPress's the_category() marks a post's categories so. */
  categoryLinks: string[];
  /** itemprop name -> first element with it, the Article's own scope first. */
  itemprops: Map<string, DomElement>;
  firstTime?: DomElement | undefined;
  updatedTime?: DomElement | undefined;
  abbrPublished?: string | undefined;
  /** First rel=author link, or itemprop=name inside itemprop=author, outside comments. */
  relAuthor?: DomElement | undefined;
  /** Byline boxes (the rules' "bylines"), in document order. */
  bylines: DomElement[];
  /** The most specific visible byline: an author name inside a byline box, else the box;
   * never a comment's author or an h-card that is not the post's author (an infobox's fn). */
  visibleByline?: DomElement | undefined;
  captions: CaptionBox[];
  chrome: DomElement[];
  /** Menu items named byline or author (as Readability looks for bylines) in the site's
   * navigation: a link to the site's authors section, never the article's byline. */
  navBylines: DomElement[];
}

// The site's navigation: nav elements, role=navigation, and boxes named so.
const NAV_NAME = /(?:^|[-_\s])(?:nav|navi|navigation|navbar)(?:$|[-_\s])|globalnav|mainnav|sitenav/i;
const BYLINE_NAME = /byline|author|writtenby/i;
const isNavName = (v: string | null) => !!v && (v.includes('nav') || v.includes('Nav') || v.includes('NAV')) && NAV_NAME.test(v);
// Comment threads (WordPress: ol.commentlist, li.comment, .comment-author; #comments, #disqus_thread):
// the names in them are readers', never the post's author.
const COMMENT_NAME = /(?:^|[-_\s])(?:comments?|commentlist|comment-list|disqus_thread|replies)(?:$|[-_\s])/i;
const isCommentName = (v: string | null) => !!v && (v.includes('omment') || v.includes('disqus') || v.includes('replies')) && COMMENT_NAME.test(v);
// Metas that name the author, kept with every value.
const AUTHOR_METAS = new Set(
  ['author', 'dc:creator', 'dc.creator', 'dcterms.creator', 'article:author', 'parsely-author', 'sailthru.author', 'cxenseparse:author'].flatMap((k) => [`p:${k}`, `n:${k}`]),
);


export function indexPage(root: DomElement): PageIndex {
  const { bylineClasses, authorNameClasses } = platformRules();
  const ix: PageIndex = { navBylines: [], metas: new Map(), authorMetas: new Map(), articleTags: [], jsonLd: [], h1s: [], h2s: [], tagLinks: [], categoryLinks: [], itemprops: new Map(), bylines: [], captions: [], chrome: [] };
  const scoped = new Map<string, DomElement>();
  let nameInByline: DomElement | undefined;
  let authorClass: DomElement | undefined;
  let box: DomElement | undefined;

  const walk = (el: DomElement, inArticleScope: boolean, inAuthorProp: boolean, inByline: boolean, inChrome: boolean, inNav: boolean, inComments: boolean, inAuthorClass: boolean) => {
    const tag = el.tagName;
    const cls = el.getAttribute('class');
    // Cheap tests first: this runs on every element of the page.
    const id = el.getAttribute('id');
    // A page's own wrappers may carry state classes ("comments-open"): only boxes inside them count.
    const comments = inComments || (tag !== 'BODY' && tag !== 'ARTICLE' && tag !== 'MAIN' && (isCommentName(id) || isCommentName(cls)));
    const nav = inNav || tag === 'NAV' || isNavName(id) || isNavName(cls) || (tag !== 'LI' && el.getAttribute('role') === 'navigation');
    if (nav && tag === 'LI' && ((id && BYLINE_NAME.test(id)) || (cls && BYLINE_NAME.test(cls)))) ix.navBylines.push(el);
    const classes = cls ? cls.split(/\s+/) : [];
    // Chrome is noted, and its signals still read (the byline may sit in a chrome box).
    const chrome = !inChrome && isSimpleChrome(el);
    if (chrome) ix.chrome.push(el);
    switch (tag) {
      case 'META': {
        const content = el.getAttribute('content')?.trim();
        if (content) {
          if (el.getAttribute('property')?.toLowerCase() === 'article:tag') ix.articleTags.push(content);
          for (const [kind, attr] of [['p', 'property'], ['n', 'name'], ['n', 'http-equiv']] as const) {
            for (const k of (el.getAttribute(attr) ?? '').toLowerCase().split(/\s+/)) {
              if (!k) continue;
              const key = `${kind}:${k}`;
              if (!ix.metas.has(key)) ix.metas.set(key, content);
              if (AUTHOR_METAS.has(key)) {
                const all = ix.authorMetas.get(key);
                if (!all) ix.authorMetas.set(key, [content]);
                else if (!all.includes(content)) all.push(content);
              }
            }
          }
        }
        break;
      }
      case 'BASE':
        ix.base ??= el.getAttribute('href') ?? undefined;
        break;
      case 'LINK':
      {
        const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
        if (!ix.canonical && rel.includes('canonical')) ix.canonical = el.getAttribute('href') ?? undefined;
        if (!ix.imageSrc && rel.includes('image_src')) ix.imageSrc = el.getAttribute('href') ?? undefined;
      }
        break;
      case 'SCRIPT':
        if (el.getAttribute('type') === 'application/ld+json') ix.jsonLd.push(el.textContent ?? '');
        return; // nothing else inside a script
      case 'H1':
        if (ix.h1s.length < 5) ix.h1s.push(el);
        break;
      case 'H2':
        if (ix.h2s.length < 10) ix.h2s.push(el);
        break;
      case 'TIME':
        if (el.getAttribute('datetime')) {
          ix.firstTime ??= el;
          if (classes.includes('updated')) ix.updatedTime ??= el;
        }
        break;
      case 'ABBR':
        if (classes.includes('published')) ix.abbrPublished ??= el.getAttribute('title') ?? undefined;
        break;
      case 'A': {
        const rel = (el.getAttribute('rel') ?? '').split(/\s+/);
        if (rel.includes('tag')) (rel.includes('category') ? ix.categoryLinks : ix.tagLinks).push(el.textContent ?? '');
        if (rel.includes('author') && !comments) ix.relAuthor ??= el;
        break;
      }
    }
    const itemtype = el.getAttribute('itemtype');
    const scope = inArticleScope || (!!itemtype && /Article|BlogPosting/.test(itemtype));
    const props = el.getAttribute('itemprop');
    let authorProp = inAuthorProp;
    if (props) {
      for (const p of props.split(/\s+/)) {
        if (!ix.itemprops.has(p)) ix.itemprops.set(p, el);
        if (inArticleScope && !scoped.has(p)) scoped.set(p, el);
        if (p === 'author') authorProp = true;
        if (p === 'name' && inAuthorProp && !comments) ix.relAuthor ??= el;
      }
    }
    let byline = inByline;
    if (classes.some((c) => bylineClasses.has(c))) {
      if (!inByline) ix.bylines.push(el);
      box ??= el;
      byline = true;
    }
    // hAtom and h-entry name the post's author as an h-card marked author (.author.vcard .fn,
    // .p-author .p-name); an fn elsewhere is any card's name: an infobox's subject, a comment's writer.
    const authorClassHere = classes.includes('author') || classes.includes('p-author');
    if (!comments && classes.some((c) => authorNameClasses.has(c) && (c !== 'fn' || inByline || inAuthorClass || authorClassHere))) {
      if (inByline) nameInByline ??= el;
      authorClass ??= el;
    }
    const caption = captionRuleFor(el);
    if (caption) ix.captions.push({ box: el, caption });
    const children = el.children; // a fresh array on linkedom: read once, not copied
    for (let i = 0; i < children.length; i++) walk(children[i]!, scope, authorProp, byline, inChrome || chrome, nav, comments, inAuthorClass || authorClassHere);
  };
  walk(root, false, false, false, false, false, false, false);
  for (const [k, v] of scoped) ix.itemprops.set(k, v);
  ix.visibleByline = nameInByline ?? box ?? authorClass;
  return ix;
}
