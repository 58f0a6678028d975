package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests act on the page as a person does (mouse clicks at an
// element's centre, key strokes into the focused field), but they find
// the element with the page's own document.querySelector each time,
// never through chromedp's node queries (chromedp.Click, SendKeys,
// WaitVisible, Text). Those work on chromedp's mirror of the DOM, and on
// the exercise pages, which replace nodes whenever a long-polled update
// arrives, a query could wait for a node the mirror was never sent:
// under load, one run in three hung on a click until the test's
// four-minute deadline (CI, 2026-12-04: "team Red: resize mediators:
// context deadline exceeded" after 242 s).

// shownWithin is how long an action waits for its element to be on the
// page and visible.
const shownWithin = 30 * time.Second

// centreJS returns the viewport centre of the first element matching sel
// once it is scrolled into view and is what a click at that point would
// hit ([] when it is missing, hidden, of no size, or covered).
const centreJS = `((sel) => {
	const e = document.querySelector(sel);
	if (!e) return [];
	e.scrollIntoView({block: 'center', inline: 'center'});
	const r = e.getBoundingClientRect();
	if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') return [];
	const x = r.left + r.width / 2, y = r.top + r.height / 2;
	const hit = document.elementFromPoint(x, y);
	if (!hit || !(hit === e || e.contains(hit) || (hit.control === e))) return [];
	return [x, y];
})(%q)`

// elementCentre polls until sel is on the page, visible and uncovered.
func elementCentre(ctx context.Context, tg *chromedp.Target, sel string) (x, y float64, err error) {
	deadline := time.Now().Add(shownWithin)
	for {
		xy, err := chromedp.Evaluate[[]float64](fmt.Sprintf(centreJS, sel))(ctx, tg)
		if err == nil && len(xy) == 2 {
			return xy[0], xy[1], nil
		}
		if ctx.Err() != nil {
			return 0, 0, fmt.Errorf("%s: %w", sel, ctx.Err())
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("missing, hidden or covered")
			}
			return 0, 0, fmt.Errorf("%s: not clickable after %v: %w", sel, shownWithin, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clickOn clicks the centre of the element sel with the mouse, once it
// is visible.
func clickOn(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		x, y, err := elementCentre(ctx, tg, sel)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.MouseClickXY(x, y)(ctx, tg)
	}
}

// waitShown waits until the element sel is visible and uncovered.
func waitShown(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, _, err := elementCentre(ctx, tg, sel)
		return chromedp.Void{}, err
	}
}

// typeInto replaces an input's text by typing, as a person does: it
// focuses the field, selects its text and sends the key strokes.
func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := waitShown(sel)(ctx, tg); err != nil {
			return chromedp.Void{}, err
		}
		focused, err := chromedp.Evaluate[bool](fmt.Sprintf(`((sel) => { const e = document.querySelector(sel); if (!e) return false; e.focus(); if (e.select) e.select(); return document.activeElement === e; })(%q)`, sel))(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		if !focused {
			return chromedp.Void{}, fmt.Errorf("%s: cannot take the focus", sel)
		}
		return chromedp.KeyEvent(text)(ctx, tg)
	}
}

// choose picks the option with the given value in the <select> sel, as
// the browser does when a person picks it (a change event).
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := waitShown(sel)(ctx, tg); err != nil {
			return chromedp.Void{}, err
		}
		ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`((sel, v) => {
			const s = document.querySelector(sel);
			if (!s || ![...s.options].some((o) => o.value === v)) return false;
			s.value = v;
			s.dispatchEvent(new Event('input', {bubbles: true}));
			s.dispatchEvent(new Event('change', {bubbles: true}));
			return true;
		})(%q, %q)`, sel, value))(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		if !ok {
			return chromedp.Void{}, fmt.Errorf("%s: no option %q", sel, value)
		}
		return chromedp.Void{}, nil
	}
}

// textOf returns the text content of the element sel.
func textOf(ctx context.Context, sel string) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`((sel) => { const e = document.querySelector(sel); return e ? e.textContent : ''; })(%q)`, sel)))
}
