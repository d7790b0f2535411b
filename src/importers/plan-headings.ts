// The headings a plan's action table is recognised by, per field, and the read-only columns that
// `sendbot export` writes beside them. Compared after normaliseHeader() (any case, spaces,
// punctuation), exactly or without a bracketed part: see match-headers.ts. No alias may appear under
// two fields, so a heading never means two things.

export type PlanField =
  | 'plan'
  | 'plan_code'
  | 'workstream'
  | 'lead'
  | 'with'
  | 'due'
  | 'workstream_due'
  | 'action'
  | 'ref'
  | 'board'
  | 'status'
  | 'owner'
  | 'progress'
  | 'percent';

/** Accepted headers per field. */
export const PLAN_HEADER_ALIASES: Record<PlanField, readonly string[]> = {
  plan: ['plan', 'Improvement Plan', 'Plan Title', 'Plan Name'],
  plan_code: ['plan_code', 'Plan Code', 'Code'],
  workstream: [
    'workstream',
    'Strategic Workstream Priority',
    'Strategic Workstream',
    'Workstream Title',
    'Workstream Name',
    'Workstreams',
    'Priority',
    'Priorities',
    'Strategic Priority',
    'Priority Area',
    'Theme',
    'Objective',
    'Objectives',
  ],
  lead: [
    'lead',
    'Leads',
    'Accountable Lead',
    'Accountable Leads',
    'Accountable Officer',
    'Lead Officer',
    'Lead Officers',
    'Responsible Officer',
    'Responsible Officers',
    'Responsible Lead',
    'Lead Role',
  ],
  with: ['with', 'Supporting', 'Supported By', 'Supporting Roles', 'Supporting Officers', 'Partners', 'Key Partners', 'Support From'],
  due: [
    'due',
    'Date of Completion',
    'Deadline',
    'Due Date',
    'Due By',
    'Completion Date',
    'Target Date',
    'Target Completion Date',
    'Timescale',
    'Timescales',
    'Timeframe',
    'By When',
    // What `sendbot export` writes: the date as the plan wrote it.
    'Due (as written)',
  ],
  // The workstream's own "Date of Completion", when a sheet gives it apart from each action's date.
  workstream_due: ['workstream_due', 'Workstream date', 'Workstream due', 'Workstream due date', 'Workstream date of completion'],
  action: ['action', 'Key Actions', 'Key Action', 'Actions', 'What we will do', 'Action Description', 'Activity', 'Activities'],
  ref: ['ref', 'Ref.', 'Reference', 'Ref No', 'Action Ref', 'No', 'No.', 'Number', 'ID', 'Action No', 'Action Number', 'Action ID'],
  board: ['board', 'Governance Board', 'Reporting Board', 'Monitoring Board'],
  status: ['status', 'RAG', 'RAG Status', 'RAG Rating', 'Current RAG'],
  owner: ['owner', 'Action Owner'],
  progress: ['progress', 'Progress Update', 'Progress Updates', 'Progress to Date', 'Progress Notes', 'Update', 'Updates', 'Commentary'],
  percent: ['percent', '% complete', 'Percent Complete', 'Percentage Complete', '% Progress', 'Progress %', 'Complete %', '%', '% done', 'Percent done', 'Done %'],
};

/** The plan's own heading for each field, used in messages. */
export const PLAN_LABEL: Record<PlanField, string> = {
  plan: 'Improvement Plan',
  plan_code: 'Plan Code',
  workstream: 'Strategic Workstream Priority',
  lead: 'Accountable Lead',
  with: 'With',
  due: 'Date of Completion',
  workstream_due: 'Workstream date',
  action: 'Key Actions',
  ref: 'Ref',
  board: 'Board',
  status: 'Status',
  owner: 'Owner',
  progress: 'Progress',
  percent: '% complete',
};

/**
 * Columns `sendbot export` writes for people to read (what sendbot worked out or recorded), which an
 * import never takes back: the record, not the file, holds them. Listed once in the report, not as unused.
 */
/**
 * A heading only sendbot export's record sheets (Updates, Date changes, KPI readings) have: such a
 * sheet is sendbot's own evidence trail, skipped as such rather than as a table it cannot read.
 */
export const RECORD_SHEET_HEADINGS: readonly string[] = ['Update id', 'Requested at (UK time)', 'Reading id'];

export const SENDBOT_OWN_HEADINGS: readonly string[] = [
  // Actions
  'Due date (read)',
  'Baseline due',
  'Start',
  'Accountable person',
  'Overdue',
  'Working days overdue',
  'Date flags',
  'Latest update',
  'Updated by',
  'Updated on',
  // KPIs
  'Latest value',
  'Latest period',
  'Expected then',
  'Judged against',
  'Position',
  'Next target',
  'Next target by',
];
