// One walk over an HTML page that finds every element extract-page reads before Readability:
// meta and link tags, JSON-LD, microdata, time elements, rel=tag and rel=author links, byline
// boxes, caption boxes and site chrome. On linkedom each document query is a walk of its own,
// and a page's twenty-odd queries cost more than Readability; one walk costs one.
import { captionRuleFor, type CaptionBox } from '../content/captions.ts';
import { isSimpleChrome } from '../content/chrome.ts';
import { TEXT_NODE, type DomElement } from '../dom.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';

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
  /** The tag lists the page prints (a box named for tags, or links after a "Tags:" label),
   * outside navigation, sidebars and tag clouds, in document order: their link texts, and
   * whether the list comes after the first h1. */
  tagLists: TagList[];
  /** itemprop name -> first element with it, the Article's own scope first. */
  itemprops: Map<string, DomElement>;
  /** The first <time datetime> outside comment threads. */
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

export interface TagList {
  tags: string[];
  afterH1: boolean;
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
  ['author', 'dc:creator', 'dc.creator', 'dcterms.creator', 'article:author', 'parsely-author', 'sailthru.author', 'cxenseparse:author', 'shareaholic:article_author_name'].flatMap((k) => [`p:${k}`, `n:${k}`]),
);


// Elements a "Tags:" label is printed in: short text of its own, not a link or a control.
const LABEL_TAGS = new Set(['H2', 'H3', 'H4', 'H5', 'H6', 'DT', 'STRONG', 'B', 'SPAN', 'LI', 'P', 'DIV', 'EM', 'I', 'LABEL', 'TD', 'TH']);
const HEADING = /^H[1-6]$/;
// Links that open or expand something on the page ("More", "Show more", a comment count), not a tag's page.
const CONTROL_HREF = /^\s*(?:#|javascript:)/i;

/** The page's tags as it prints them: the first tag list after the h1 (one before it is a
 * trending bar or the section's badge), else the first. */
/**
 * The tags the page prints in a tag list: the first list after the h1 (`where: 'article'`), or
 * the first before it (`'before'`), which may be a trending bar or a section badge and so stands
 * in only where the page declares no tags at all.
 */
export function listedTags(ix: PageIndex, where: 'article' | 'before' = 'article'): string[] {
  const lists = ix.tagLists.filter((l) => l.tags.length > 0 && l.afterH1 === (where === 'article'));
  return lists[0]?.tags ?? [];
}

export function indexPage(root: DomElement): PageIndex {
  const { bylineClasses, authorNameClasses, tags: tagRules } = platformRules();
  const ix: PageIndex = { navBylines: [], metas: new Map(), authorMetas: new Map(), articleTags: [], jsonLd: [], h1s: [], h2s: [], tagLinks: [], categoryLinks: [], tagLists: [], itemprops: new Map(), bylines: [], captions: [], chrome: [] };
  const scoped = new Map<string, DomElement>();
  let nameInByline: DomElement | undefined;
  let authorClass: DomElement | undefined;
  let box: DomElement | undefined;
  let seenH1 = false;
  const newList = (): TagList => {
    const l: TagList = { tags: [], afterH1: seenH1 };
    ix.tagLists.push(l);
    return l;
  };
  const isLabelText = (t: string | null | undefined) => !!t && t.length <= 40 && tagRules.label.test(t.trim());
  const isLabel = (el: DomElement, tag: string) => LABEL_TAGS.has(tag) && el.firstElementChild === null && isLabelText(el.textContent);
  // The parser splits a text at entities ("Themen: &nbsp; "): the text nodes before a link, joined.
  const textBefore = (el: DomElement) => {
    let text = '';
    for (let n = el.previousSibling, k = 0; n && n.nodeType === TEXT_NODE && k < 4; n = n.previousSibling, k++) text = (n.textContent ?? '') + text;
    return text;
  };
  // Cheap tests first, as for nav names: this runs on every element.
  const namesTagList = (v: string | null) => !!v && (v.includes('ag') || v.includes('AG')) && v.split(/\s+/).some((t) => tagRules.listName.test(t));
  const namesElsewhere = (v: string | null) => !!v && tagRules.elsewhere.test(v);

  // tag: el.tagName, read once (linkedom computes it at every read).
  const walk = (
    el: DomElement,
    tag: string,
    inArticleScope: boolean,
    inAuthorProp: boolean,
    inByline: boolean,
    inChrome: boolean,
    inNav: boolean,
    inComments: boolean,
    inAuthorClass: boolean,
    inElsewhere: boolean,
    inTagList: TagList | undefined,
  ) => {
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
    // Tag lists in the site's navigation, sidebars and tag clouds are the site's, not the article's.
    const elsewhere = inElsewhere || nav || namesElsewhere(cls) || namesElsewhere(id);
    let tagList = inTagList;
    if (!tagList && !elsewhere && tag !== 'A' && (namesTagList(cls) || namesTagList(id) || namesTagList(el.getAttribute('data-testid')))) tagList = newList();
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
        seenH1 = true;
        break;
      case 'H2':
        if (ix.h2s.length < 10) ix.h2s.push(el);
        break;
      case 'TIME':
        if (el.getAttribute('datetime')) {
          // A comment thread's <time> dates a reader's comment, not the post (WordPress's
          // div.comment-metadata inside #comments.comments-area).
          if (!comments) ix.firstTime ??= el;
          if (classes.includes('updated') && !comments) ix.updatedTime ??= el;
        }
        break;
      case 'ABBR':
        if (classes.includes('published')) ix.abbrPublished ??= el.getAttribute('title') ?? undefined;
        break;
      case 'A': {
        const rel = (el.getAttribute('rel') ?? '').split(/\s+/);
        if (rel.includes('tag')) (rel.includes('category') ? ix.categoryLinks : ix.tagLinks).push(el.textContent ?? '');
        if (rel.includes('author') && !comments) ix.relAuthor ??= el;
        if (tagList && el.getAttribute('role') !== 'button' && !CONTROL_HREF.test(el.getAttribute('href') ?? '')) {
          // Hashtag-style lists print "#Diät Tipps": the tag is the words.
          const label = normalizeSpace(el.textContent ?? '').replace(/^#/, '').replace(/[,;]$/, '');
          if (label) tagList.tags.push(label);
        }
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
    const authorClassBelow = inAuthorClass || authorClassHere;
    // A label ("Tags:" in its own element, or as text before the first link) starts a list:
    // after an element label, the links and list items that follow and the first other box;
    // after a text label, the links that follow it.
    let labelled: TagList | undefined;
    let byText = false;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      const ct = c.tagName;
      if (!tagList && !elsewhere) {
        if (labelled && (HEADING.test(ct) || (byText && ct !== 'A'))) labelled = undefined;
        if (!labelled && ct === 'A') {
          if (isLabelText(textBefore(c))) {
            labelled = newList();
            byText = true;
          }
        } else if (!labelled && isLabel(c, ct)) {
          walk(c, ct, scope, authorProp, byline, inChrome || chrome, nav, comments, authorClassBelow, elsewhere, undefined);
          labelled = newList();
          byText = false;
          continue;
        }
      }
      walk(c, ct, scope, authorProp, byline, inChrome || chrome, nav, comments, authorClassBelow, elsewhere, tagList ?? labelled);
      if (labelled && !byText && ct !== 'A' && ct !== 'LI' && ct !== 'BR') labelled = undefined;
    }
  };
  walk(root, root.tagName, false, false, false, false, false, false, false, false, undefined);
  for (const [k, v] of scoped) ix.itemprops.set(k, v);
  ix.visibleByline = nameInByline ?? box ?? authorClass;
  return ix;
}
