/**
 * The overview page's Revoke dialog (contract §9): a real <dialog> (not window.confirm, so a test
 * can drive it), opened from a row's Revoke button. Its markup is in src/http/overviewPage.ts.
 *
 *   open → [Crafter access token: paste its full id, Check] → dry run → the token named, with
 *   the dry run's outcome → "Yes, revoke" → the revocation → the outcome in the row
 *
 * Nothing is revoked before the person confirms, and the confirmation is offered only when the
 * dry run found this row's own token (the same global id). Cancelling sends nothing more. A dry
 * run that ends the matter (FORBIDDEN for this API key, REFUSED, NOT_FOUND, FAILED) is shown in
 * the row at once.
 *
 * A pasted id is a credential: it lives in the password field and in the two request bodies
 * only, never in the URL, storage or console, and the field is cleared when the dialog closes.
 */
import { RevokeTokensDocument, type TokenRef } from '../src/generated/client/graphql.js';
import { postOperation } from './graphqlClient.js';
import { mayConfirm, needsFullId, otherToken, readRevokeAnswer, revokeRef, shownOutcome, type RevokeAnswer, type RevokeShown } from './revocation.js';
import type { TokenRow } from './tokenRows.js';
import { SOURCE_LABELS } from './watchList.js';

export interface RevokeDialogOptions {
  /** The GraphQL endpoint's path. */
  endpoint: string;
  /** Shows an outcome in the row of the token it is about. */
  showOutcome(row: TokenRow, shown: RevokeShown): void;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const ASK_FOR_ID = 'Paste the token’s full id, then Check.';

/** Wires the dialog up; returns what a row's Revoke button calls. */
export function setUpRevokeDialog(options: RevokeDialogOptions): (row: TokenRow) => void {
  const dialog = $<HTMLDialogElement>('revoke-dialog');
  const idForm = $<HTMLFormElement>('revoke-id-form');
  const fullId = $<HTMLInputElement>('revoke-full-id');
  const status = $('revoke-status');
  const cancel = $<HTMLButtonElement>('revoke-cancel');
  const confirm = $<HTMLButtonElement>('revoke-confirm');

  /** The row the dialog is open for. */
  let row: TokenRow | undefined;
  /** The reference the dry run found the row's token by: what "Yes, revoke" sends, and only that. */
  let checked: TokenRef | undefined;
  let dryRunning: AbortController | undefined;
  /** While the revocation itself is on its way the dialog stays open: its outcome is not known yet. */
  let revoking = false;

  function say(text: string, outcome = ''): void {
    status.textContent = text;
    status.dataset.outcome = outcome;
  }

  function uncheck(): void {
    dryRunning?.abort();
    checked = undefined;
    confirm.disabled = true;
  }

  async function send(ref: TokenRef, dryRun: boolean, signal?: AbortSignal): Promise<RevokeAnswer> {
    try {
      const response = await postOperation(options.endpoint, 'RevokeTokens', RevokeTokensDocument, { refs: [ref], dryRun }, signal);
      return readRevokeAnswer(response.status, await response.json().catch(() => null));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      // A revocation that got no answer may still have happened upstream.
      const unknown = dryRun ? '' : ': whether it was revoked is unknown, so read the token before trying again';
      return { error: { code: 'UNREACHABLE', message: `tokengraph could not be reached (${why})${unknown}` } };
    }
  }

  async function dryRun(target: TokenRow, ref: TokenRef): Promise<void> {
    uncheck();
    const controller = (dryRunning = new AbortController());
    say('Dry run: reading the token…');
    const answer = await send(ref, true, controller.signal);
    if (controller.signal.aborted || row !== target) return;
    const shown = shownOutcome(answer);
    if (mayConfirm(target, answer)) {
      checked = ref;
      confirm.disabled = false;
      say(`Dry run: ${shown.label} — ${shown.detail}`, shown.label);
    } else if (otherToken(target, answer)) {
      const other = 'result' in answer ? answer.result : undefined;
      say(
        other?.token
          ? `That id is another token’s (“${other.token.name ?? other.tokenId}”), not this one’s: nothing will be revoked.`
          : `No ${SOURCE_LABELS[target.source]} has that id: check it and paste it again.`,
        shown.label,
      );
    } else {
      // Nothing to confirm, and this is the outcome for the row: the key may not revoke, tokengraph refuses, the token is gone, …
      say(`Dry run: ${shown.label} — ${shown.detail}`, shown.label);
      cancel.textContent = 'Close';
      options.showOutcome(target, shown);
    }
  }

  async function revoke(): Promise<void> {
    const target = row;
    const ref = checked;
    if (!target || !ref) return;
    revoking = true;
    confirm.disabled = true;
    cancel.disabled = true;
    say('Revoking…');
    const answer = await send(ref, false);
    revoking = false;
    cancel.disabled = false;
    options.showOutcome(target, shownOutcome(answer));
    dialog.close();
  }

  idForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!row) return;
    if (fullId.value.trim() === '') return say(ASK_FOR_ID);
    void dryRun(row, revokeRef(row, fullId.value));
  });
  // A changed id has not been checked: it must go through a dry run before it can be revoked.
  fullId.addEventListener('input', () => {
    uncheck();
    say(ASK_FOR_ID);
  });
  confirm.addEventListener('click', () => void revoke());
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('cancel', (event) => {
    if (revoking) event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    uncheck();
    fullId.value = '';
    row = undefined;
  });

  return (target) => {
    row = target;
    uncheck();
    cancel.textContent = 'Cancel';
    cancel.disabled = false;
    $('revoke-title').textContent = `Revoke “${target.name}”?`;
    $('revoke-source').textContent = SOURCE_LABELS[target.source];
    $('revoke-name').textContent = target.name;
    $('revoke-owner').textContent = target.owner ?? '—';
    $('revoke-shown-id').textContent = target.tokenId;
    const asking = needsFullId(target.source);
    idForm.hidden = !asking;
    fullId.value = '';
    dialog.showModal();
    if (asking) {
      say(ASK_FOR_ID);
      fullId.focus();
    } else {
      void dryRun(target, revokeRef(target));
    }
  };
}
