// Driving VS Code's workbench (code-server) through Chromium: the palette, quick open, the explorer tree.
import type { Locator, Page } from 'playwright-core';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

/** Runs a palette command by its exact title ("Apply File" must not pick "Apply Folder"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const exact = new RegExp(`^${escape(title)}$`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first().click();
}

/** Opens a workspace file with quick open and waits for its tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: name }).waitFor();
}

/** The explorer row whose label is exactly `label` (descriptions may mention other names). */
export function treeRow(page: Page, label: string): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
}

/** Waits for the quick input to show `placeholderOrPrompt`, then picks the row `label` (or types `text`). */
export async function pick(page: Page, hint: string, label: string): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: hint }).or(page.locator(`.quick-input-widget input[placeholder="${hint}"]`)).first().waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
}

export async function type(page: Page, hint: string, text: string): Promise<void> {
  await page.locator('.quick-input-widget', { hasText: hint }).first().waitFor({ timeout: 30_000 });
  const input = page.locator('.quick-input-widget input');
  await input.fill(text);
}

/** Clicks `button` on the modal dialog that says `text`. */
export async function answerDialog(page: Page, text: string, button: string): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text });
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.locator('.monaco-button', { hasText: button }).click();
}

/** Clicks `button` on the notification that says `text`. */
export async function clickNotification(page: Page, text: string, button: string): Promise<void> {
  const toast = page.locator('.notification-toast', { hasText: text });
  await toast.waitFor({ timeout: 60_000 });
  await toast.locator('.monaco-button', { hasText: button }).click();
}
