/** Every transition of the habilitation machine, and every refused one (issue 5 "done when"). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS, ROLES, STATUSES, transition, type MachineState, type Role, type Status } from './state-machine.ts';

const plain = (status: Status): MachineState => ({ status, requiresProviderReview: false, providerApproved: false });
const actor = (role: Role) => ({ role, id: `${role}@exemple.gouv.fr` });

/** The allowed moves, written out by hand from the issue: [event, from, role, to]. */
const ALLOWED: Array<[string, Status, Role, Status]> = [
  ['submit', 'draft', 'applicant', 'submitted'],
  ['submit', 'changes_requested', 'applicant', 'submitted'],
  ...(['instructor', 'provider_reviewer', 'administrator'] as Role[]).flatMap((r): Array<[string, Status, Role, Status]> => [
    ['request_changes', 'submitted', r, 'changes_requested'],
    ['refuse', 'submitted', r, 'refused'],
  ]),
  ['approve', 'submitted', 'instructor', 'validated'],
  ['approve', 'submitted', 'administrator', 'validated'],
  ['revoke', 'validated', 'instructor', 'revoked'],
  ['revoke', 'validated', 'administrator', 'revoked'],
  ...(['draft', 'changes_requested', 'refused', 'revoked'] as Status[]).flatMap((s): Array<[string, Status, Role, Status]> => [
    ['archive', s, 'applicant', 'archived'],
    ['archive', s, 'administrator', 'archived'],
  ]),
  ['request_prolongation', 'validated', 'applicant', 'validated'],
  ['validate_prolongation', 'validated', 'instructor', 'validated'],
  ['validate_prolongation', 'validated', 'administrator', 'validated'],
  ['refuse_prolongation', 'validated', 'instructor', 'validated'],
  ['refuse_prolongation', 'validated', 'administrator', 'validated'],
  ['change_rate_limit', 'validated', 'instructor', 'validated'],
  ['change_rate_limit', 'validated', 'administrator', 'validated'],
];

describe('habilitation state machine', () => {
  test('every (event, status, role) combination is allowed exactly when the table says so', () => {
    let allowed = 0;
    let refused = 0;
    for (const event of EVENTS) {
      if (event === 'provider_approve') continue; // its guard needs a provider-reviewed product: below
      for (const status of STATUSES) {
        for (const role of ROLES) {
          const expected: [string, Status, Role, Status] | undefined = ALLOWED.find(([e, s, r]) => e === event && s === status && r === role);
          const result = transition(plain(status), event, actor(role), 'motif');
          if (expected === undefined) {
            assert.equal(result.ok, false, `${event} from ${status} by ${role} must be refused`);
            refused += 1;
            if (!result.ok) {
              const roleAllowed = ALLOWED.some(([e, , r]) => e === event && r === role);
              assert.equal(result.code, roleAllowed ? 'wrong_status' : 'wrong_role', `${event}/${status}/${role}`);
              assert.match(result.message, /\S/);
            }
          } else {
            assert.ok(result.ok, `${event} from ${status} by ${role} must be allowed`);
            if (result.ok) assert.equal(result.state.status, expected[3]);
            allowed += 1;
          }
        }
      }
    }
    assert.equal(allowed, ALLOWED.length);
    assert.ok(refused > 200);
  });

  test('approval issues a token and freezes the snapshot', () => {
    const result = transition(plain('submitted'), 'approve', actor('instructor'));
    assert.deepEqual(result.ok && result.effects, ['freeze_snapshot', 'issue_token', 'notify_applicant']);
  });

  test('request changes, refuse and revoke need a message', () => {
    for (const [event, status] of [['request_changes', 'submitted'], ['refuse', 'submitted'], ['revoke', 'validated'], ['refuse_prolongation', 'validated']] as const) {
      for (const message of [undefined, '', '   ']) {
        const result = transition(plain(status), event, actor('instructor'), message);
        assert.deepEqual(result.ok ? 'ok' : result.code, 'message_required', `${event} ${String(message)}`);
      }
    }
  });

  test('an unknown event is refused, never thrown', () => {
    const result = transition(plain('draft'), 'teleport', actor('administrator'));
    assert.deepEqual(result.ok ? 'ok' : result.code, 'unknown_event');
    assert.deepEqual(transition(plain('draft'), 'toString', actor('administrator')).ok, false);
  });

  describe('provider review (the CNAM)', () => {
    const reviewed = (providerApproved: boolean): MachineState => ({ status: 'submitted', requiresProviderReview: true, providerApproved });

    test('the instructor cannot approve before the provider', () => {
      const result = transition(reviewed(false), 'approve', actor('instructor'));
      assert.deepEqual(result.ok ? 'ok' : result.code, 'provider_review_pending');
    });

    test('the provider approves, then the instructor can', () => {
      const first = transition(reviewed(false), 'provider_approve', actor('provider_reviewer'));
      assert.ok(first.ok);
      assert.deepEqual(first.state, reviewed(true));
      const second = transition(first.state, 'approve', actor('instructor'));
      assert.ok(second.ok);
      assert.equal(second.state.status, 'validated');
    });

    test('only a provider reviewer, only on a submitted request, only when the product asks for it', () => {
      for (const role of ROLES.filter((r) => r !== 'provider_reviewer')) {
        const r = transition(reviewed(false), 'provider_approve', actor(role));
        assert.deepEqual(r.ok ? 'ok' : r.code, 'wrong_role');
      }
      for (const status of STATUSES.filter((s) => s !== 'submitted')) {
        const r = transition({ status, requiresProviderReview: true, providerApproved: false }, 'provider_approve', actor('provider_reviewer'));
        assert.deepEqual(r.ok ? 'ok' : r.code, 'wrong_status');
      }
      const r = transition(plain('submitted'), 'provider_approve', actor('provider_reviewer'));
      assert.deepEqual(r.ok ? 'ok' : r.code, 'no_provider_review');
    });

    test('a request sent back for changes needs the provider again', () => {
      const back = transition(reviewed(true), 'request_changes', actor('instructor'), 'Précisez la base légale');
      assert.ok(back.ok);
      assert.equal(back.state.providerApproved, false);
      const resubmitted = transition(back.state, 'submit', actor('applicant'));
      assert.ok(resubmitted.ok);
      const r = transition(resubmitted.state, 'approve', actor('instructor'));
      assert.deepEqual(r.ok ? 'ok' : r.code, 'provider_review_pending');
    });
  });
});
