import { describe, expect, it } from 'vitest';
import type { Confidence, Deadline, DeadlineContext, DeadlineFlag, SchoolTerm } from '../../src/domain/deadline-types.js';
import { findDeadlineInText, readDeadline } from '../../src/domain/deadlines.js';

interface Expect {
  start?: string | null;
  due: string | null;
  ongoing?: boolean;
  completed?: boolean;
  flags?: DeadlineFlag[];
  confidence?: Confidence;
  /** Number of milestones, and how many of them are notes. */
  milestones?: number;
  notes?: number;
}

function check(d: Deadline, e: Expect): void {
  expect({
    start: d.start,
    due: d.due,
    ongoing: d.ongoing,
    completed: d.completed,
    flags: d.flags,
  }).toEqual({
    start: e.start ?? null,
    due: e.due,
    ongoing: e.ongoing ?? false,
    completed: e.completed ?? false,
    flags: e.flags ?? [],
  });
  if (e.confidence) expect(d.confidence).toBe(e.confidence);
  if (e.milestones !== undefined) expect(d.milestones).toHaveLength(e.milestones);
  if (e.notes !== undefined) expect(d.milestones.filter((m) => m.note)).toHaveLength(e.notes);
}

const PLAN_DATE = '2024-08-27'; // "Last updated: 27-08-2024"

// Action bullets copied verbatim from seeds/001 (Southampton SEND improvement plan, 2024),
// including the narrow no-break spaces (\u202f) of the source.
const SEED_ACTIONS = {
  aisFromSept:
    "Roll out the Autism in Schools Programme to all remaining schools across the city and post 16 provisions\u202ffrom Sept 24",
  ndptFromSept:
    "Put in place mechanisms for tracking progress (including quality assurance) and impact of rolling out NDPT from Sept. To include monitoring the impact on number of requests for formal assessment and build trajectory for reducing demand for diagnosis – taking the learning and experience from the Portsmouth system. Use this to develop trajectory for reducing waiting lists over next 12 months",
  shortBreaks:
    "Working with the CEO for Testlands Hub, roll out and evaluate the SEND Short Breaks Innovation programme to provide 6 Inclusive Wellbeing hubs with a range of activities for children/YP aged 11 – 24 over school holidays, weekends and after school – with a particular focus being on children on ADHD/ASD waiting lists and those at risk of poor educational outcomes – aim to have evaluation report by end Feb 25 identifying the learning and elements for mainstreaming",
  mdtBySep:
    "Building on the work done in early 2024, develop a continuous process of MDT reviewing and assessment of children on waiting lists to formulate a shared view and joint response to risk, ensuring that those with the highest risk of poor health, education and care outcomes are prioritised – by Sep 24",
  mdtByDec:
    "Scope and implement a multi disciplinary team approach for supporting schools concerned about specific cases by Dec – building on discussions at School ADHD Workshop on 24 September 2024",
  pfaRelaunch:
    "Relaunch the Southampton PFA Improvement Plan with a broader remit and level of engagement to drive forward improvements in PFA across the whole system COMPLETED",
  year9:
    "Review impact of Year 9+ EHCP Review processes and agree future recommendations to further strengthen pathways into adult services, including ASC and health services, including primary care, by December",
  pfaPanel:
    "Continue to reduce the age at which young people are brought to the Preparing for Adulthood (PFA) Panel, aiming for 16 years by year end for those young people with more complex needs. To include developing a definition for “more complex needs” by October as part of a wider transitional safeguarding approach and a process for how these will be identified across health, education and care services",
  healthGuide:
    "Finalise and launch Health PFA guide\u202fby Dec 24",
  livingGuide:
    "Co-design and launch Independent Living PFA guide by Dec 24",
  communityGuide:
    "Co-design and launch Community guide\u202fby Dec 24",
  navigator:
    "Evaluation of the Community Navigator pilot by Sept 24 and use the learning to relaunch the service – to include redefining the client group and pathways into the service",
  ndHub:
    "Interim evaluation of ND Hub in Sept 24 and feedback on lessons learnt to inform future development\u202f",
  emotional:
    "Embed the new 16 – 25 emotional wellbeing and mental health co-ordination service by Sept 24 ensuring strong links with schools, the PFA Panel, Young People’s Service, Inclusion Team, Safeguarding and Family help teams and monitor referrals and outcomes\u202f",
  tender:
    "Issue Inclusive Lives Tender with new Meaningful Opportunities and Short Breaks offers available from end March 2025\u202f",
  supportedLiving:
    "Operationalise new Supported Living offer from Oct 24, with specific focus on meeting needs of young people in transition to adulthood",
  promo:
    "Development of promotional materials to be used across Hampshire and the Isle of Wight – e.g. Webpage toolkits, videos, targeted text messages COMPLETE",
  gpEvent:
    "Increasing health professional awareness (Primary Care / Secondary / Paediatric / community), e.g. Southampton GP TARGET event 26 Sept, Southampton SEND Voluntary and Community Sector Network",
  transitionPack:
    "Development of transition pack by Dec 24 – highlighting importance of AHC, Learning Disability Register, what to expect upon going into adult healthcare services, building relationships with GPs – Linking this to the PFA health guide",
  hcpStrategic:
    "Review and agree with strategic leaders the future focus of commissioned Healthy Child Programme services across universal, targeted and specialist pathways. This will also identify the areas for change that are required and scope the risks which need to be reviewed and mitigated. To include presentation to Health and Wellbeing Board in September 2024.",
  coverage:
    "Using learning across Portsmouth, Southampton, Hampshire and Isle of Wight on the delivery of Early Help, including from the Family Hubs implementation (workforce review) in the cities and Isle of Wight, understand the workforce/skill mix model required to most efficiently and effectively increase the uptake in Southampton. Recognising the health visitor led approach, ensure that optimum use is made of the entire workforce across universal and targeted services. To aim to achieve 65% coverage for both HR1 and HR2 by March 25, working to increase this further to 85% for HR1 and 78% for HR2 in 2025/26 (targets based on national and statistical neighbour averages)",
  mapPathways:
    "Map and assess effectiveness of pathways into support for families identified at health reviews and identify any gaps by Mar 25",
  plansJune:
    "Alongside health, education and care services, develop plans for meeting gaps in pathways for children who have additional needs identified at their 12 month and 2-year reviews, by June 25",
  implDec:
    "Implementation of improved pathways and support by Dec 25",
  educationPartnership:
    "Review and develop the local education, training and employment offer and pathways through the new 14-25 Education Partnership, reporting into the SEND Partnership board – with a particular focus on identifying and addressing gaps for those young people who find it more difficult to access traditional education offers",
  workCompleted:
    "Work completed with the Parent Carer Forum to ensure that information around the processes is clear for children and young people and their families and to ensure that they are having their voices heard throughout the processed.",
  completion:
    "Targeted work with managers health professionals and social care teams to produce a report template, for the EHCP, that is both usable and pertinent to the required information. Training for advice givers in relation to completion.",
  sencos:
    "Work with all SENCOs within the city to ensure clear understanding of EHCP and Annual Review documents and how they translate into the school setting and are completed, to be profitable for the children and young people. A clear focus on gathering the children and young peoples’ views will be included.",
  scopeNeeds:
    "As part of a Transitional Safeguarding approach, work with Public Health and Adult Services to scope and undertake a needs assessment of those YP not likely to meet ASC eligibility but with significant social needs e.g. Offending patterns, Substance misuse, Mental health issues, ASD/ ADHD, Homelessness, NEET to scope what provision/support is required. Scope and develop support for meeting their needs",
  prescribing:
    "Continue to identify and progress opportunities for increasing prescribing capacity to reduce waiting list for ADHD prescribing – including shared care protocols with primary care and workforce development",
  ndptRollout:
    "Building on the learning from Portsmouth and the Southampton pathfinder project with 3 primary schools, roll out the Neurodiversity Profiling Tool to all primary and secondary schools across the city to support early identification, assessment of need and early identification. To include mechanisms for quality assurance and support.",
  pfaDashboard:
    "Continue to develop the PFA Dashboard, bringing in other data sources from systems (education, health, community) to monitor a broader cohort and ensure that it is proactively used at PFA Steering Group as a tool to inform planning",
  housing:
    "Engage and Work with developers to increase the breadth and range of housing options available in the city for young adults with SEND\u202f",
  trainingRollout:
    "Roll out of specific training to identified areas of need under a developed SEND Competency Pathway (competent/operational/specialist) reflecting what different settings and practitioners need to deliver an effective service to our children across Southampton.",
  schoolAwareness:
    "Working with the SEND Strategic lead to increase school awareness through a range of mechanisms, e.g. use of SENCO Secondary School Forum\u202f\u202f",
  redesign:
    "Using the opportunity of the new Hampshire and Isle of Wight (HIOW) Community NHS Trust organisation, review the assessment pathway and identify opportunities to streamline, define proportionality and anchor to pre and post diagnostic pathways in order to increase capacity for assessment, diagnosis and prescribing. Ensure services work from a multiagency and multidisciplinary lens which responds to need and supports children and young people through key transition points.",
  gapAnalysisCommonality:
    "Consider commonality of language and shared understanding of, e.g. Neuro Diversity/Social Emotional and Mental Health/Emotionally Based School Avoidance.",
} as const;

// Workstream windows, as read from the "Date of Completion" cells below.
const W = {
  neurodiversityWholeSystem: { start: '2024-09-01', due: '2025-07-31' },
  earlySupport: { start: null, due: '2025-03-31' },
  managingRisk: { start: null, due: '2025-03-31' },
  pfaGovernance: { start: null, due: '2024-07-31' },
  operationalProcesses: { start: null, due: '2025-03-31' },
  informationGuidance: { start: null, due: '2024-12-31' },
  extendedOffer: { start: null, due: '2025-03-31' },
  independentLiving: { start: null, due: '2025-03-31' },
  annualHealthChecks: { start: '2024-09-01', due: '2025-03-31' },
  hcpStrategic: { start: '2024-09-01', due: '2024-12-31' },
  universalCoverage: { start: null, due: '2025-01-31' },
  positiveImpact: { start: null, due: '2025-12-31' },
  coProduction: { start: null, due: '2025-07-31' },
  awarenessTraining: { start: '2025-04-22', due: '2025-07-22' },
} as const;

const SUMMER_2025_DEFAULT = { start: '2025-04-22', due: '2025-07-22' };

describe('readDeadline: every "Date of Completion" cell of seeds/001', () => {
  const cells: Array<[string, Expect]> = [
    [
      'Communication campaign commencing Sept 24\n\nTrajectory for reducing waiting times in place by Nov 24\n\nRoll out AiS/NDPT Oct 24 – July 25',
      { start: '2024-09-01', due: '2025-07-31', confidence: 'high', milestones: 3 },
    ],
    ['31 March 25 (for delivery in 25/26)', { due: '2025-03-31', confidence: 'high', milestones: 2, notes: 1 }],
    ['Ongoing - to 31 March 25\u202f', { due: '2025-03-31', ongoing: true, confidence: 'high', milestones: 1 }],
    [
      'Multiagency review and risk management processes in place by Sept 24\n\nOngoing assessment & management of waiting times through to Mar 25 & beyond',
      { due: '2025-03-31', ongoing: true, flags: ['and-beyond'], confidence: 'high', milestones: 2 },
    ],
    ['31 July 24', { due: '2024-07-31', confidence: 'high', milestones: 1 }],
    [
      'Processes reviewed & in place by December 24\n\nImpact reviewed by March 25 (informing further work in 25/26)',
      { due: '2025-03-31', confidence: 'high', milestones: 3, notes: 1 },
    ],
    ['31 Dec 24', { due: '2024-12-31', confidence: 'high' }],
    [
      'Needs assessment /Evaluation of current provision by Oct 24\n\nNew meaningful opportunities and Short breaks offers go live 31 March 25',
      { due: '2025-03-31', confidence: 'high', milestones: 2 },
    ],
    [
      'New supported living offer go live Oct 24\n\nOngoing work to develop range of housing options through to 31 Mar 25 & beyond',
      { due: '2025-03-31', ongoing: true, flags: ['and-beyond'], confidence: 'high', milestones: 2 },
    ],
    [
      'Promotional work Sept – Dec 24\n\nReview impact March 25 (to inform further improvements during 25/26)',
      { start: '2024-09-01', due: '2025-03-31', confidence: 'high', milestones: 3, notes: 1 },
    ],
    ['Ongoing to 31 Mar 25', { due: '2025-03-31', ongoing: true, confidence: 'high' }],
    ['Sept 24 – Dec 24', { start: '2024-09-01', due: '2024-12-31', confidence: 'high' }],
    ['31 Jan 25', { due: '2025-01-31', confidence: 'high' }],
    ['Dec 25', { due: '2025-12-31', confidence: 'high' }],
    ['December 2024', { due: '2024-12-31', confidence: 'high' }],
    ['January- March 2025', { start: '2025-01-01', due: '2025-03-31', confidence: 'high' }],
    ['July 2025', { due: '2025-07-31', confidence: 'high' }],
    ['November 2024', { due: '2024-11-30', confidence: 'high' }],
    ['January 2025', { due: '2025-01-31', confidence: 'high' }],
    ['January-March 2025', { start: '2025-01-01', due: '2025-03-31', confidence: 'high' }],
    ['Concurrent with Gap Analysis -January -March 2025', { start: '2025-01-01', due: '2025-03-31', confidence: 'high' }],
    ['April 2025', { due: '2025-04-30', confidence: 'high' }],
    [
      'Design and planning - Summer term 2025\n\nRoll out from September 2025',
      { ...SUMMER_2025_DEFAULT, flags: ['term-dates-default'], confidence: 'medium', milestones: 2 },
    ],
  ];

  it.each(cells)('%j', (text, e) => {
    const d = readDeadline(text, { reference: PLAN_DATE });
    expect(d.text).toBe(text);
    check(d, e);
  });

  it('gives the cells the same reading without any context (all carry their year)', () => {
    for (const [text, e] of cells) check(readDeadline(text), e);
  });

  it('splits "Communication campaign commencing Sept 24 / … / Oct 24 – July 25" into its milestones', () => {
    const d = readDeadline(cells[0]![0]);
    expect(d.milestones.map((m) => [m.text, m.start, m.due, m.flags])).toEqual([
      ['Communication campaign commencing Sept 24', '2024-09-01', null, ['start-only']],
      ['Trajectory for reducing waiting times in place by Nov 24', null, '2024-11-30', []],
      ['Roll out AiS/NDPT Oct 24 – July 25', '2024-10-01', '2025-07-31', []],
    ]);
  });

  it('keeps "(for delivery in 25/26)" as a note that does not move the due date', () => {
    const d = readDeadline('31 March 25 (for delivery in 25/26)');
    expect(d.milestones).toEqual([
      { text: '31 March 25', start: null, due: '2025-03-31', ongoing: false, completed: false, note: false, flags: [] },
      {
        text: '(for delivery in 25/26)',
        start: '2025-04-01',
        due: '2026-03-31',
        ongoing: false,
        completed: false,
        note: true,
        flags: [],
      },
    ]);
  });

  it('reads "Impact reviewed by March 25 (informing further work in 25/26)" with a financial-year note', () => {
    const d = readDeadline(cells[5]![0]);
    const note = d.milestones.find((m) => m.note);
    expect(note).toMatchObject({ text: '(informing further work in 25/26)', start: '2025-04-01', due: '2026-03-31' });
    expect(d.milestones.filter((m) => !m.note).map((m) => m.due)).toEqual(['2024-12-31', '2025-03-31']);
  });

  it('marks only the "& beyond" line as and-beyond', () => {
    const d = readDeadline(cells[3]![0]);
    expect(d.milestones.map((m) => [m.due, m.ongoing, m.flags])).toEqual([
      ['2024-09-30', false, []],
      ['2025-03-31', true, ['and-beyond']],
    ]);
  });

  it('reads "Summer term 2025" from the partnership\'s own terms when configured', () => {
    const terms: SchoolTerm[] = [{ name: 'summer', start: '2025-04-23', end: '2025-07-23' }];
    const d = readDeadline(cells[22]![0], { terms });
    check(d, { start: '2025-04-23', due: '2025-07-23', confidence: 'high' });
    expect(d.milestones[1]).toMatchObject({ text: 'Roll out from September 2025', start: '2025-09-01', due: null, flags: ['start-only'] });
  });
});

describe('findDeadlineInText: every date phrase in the action bullets of seeds/001', () => {
  const A = SEED_ACTIONS;
  const rows: Array<[string, string, DeadlineContext, string, Expect]> = [
    ['aisFromSept', A.aisFromSept, { window: W.neurodiversityWholeSystem }, 'from Sept 24', { start: '2024-09-01', due: null, flags: ['start-only'], confidence: 'high' }],
    ['ndptFromSept', A.ndptFromSept, { window: W.neurodiversityWholeSystem }, 'from Sept.', { start: '2024-09-01', due: null, flags: ['year-from-context', 'start-only'], confidence: 'medium' }],
    ['shortBreaks (aged 11 – 24 ignored)', A.shortBreaks, { window: W.earlySupport }, 'by end Feb 25', { due: '2025-02-28', confidence: 'high' }],
    ['mdtBySep (early 2024 ignored)', A.mdtBySep, { window: W.managingRisk }, 'by Sep 24', { due: '2024-09-30', confidence: 'high' }],
    ['mdtByDec (workshop on 24 September 2024 ignored)', A.mdtByDec, { window: W.managingRisk, reference: PLAN_DATE }, 'by Dec', { due: '2024-12-31', flags: ['year-from-context'], confidence: 'medium' }],
    ['pfaRelaunch', A.pfaRelaunch, { window: W.pfaGovernance }, 'COMPLETED', { due: null, completed: true, confidence: 'high' }],
    ['year9', A.year9, { window: W.operationalProcesses, reference: PLAN_DATE }, 'by December', { due: '2024-12-31', flags: ['year-from-context'], confidence: 'medium' }],
    ['pfaPanel', A.pfaPanel, { window: W.operationalProcesses, reference: PLAN_DATE }, 'by year end / by October', { due: '2024-10-31', flags: ['partly-read', 'vague', 'year-from-context'], confidence: 'medium', milestones: 2 }],
    ['healthGuide', A.healthGuide, { window: W.informationGuidance }, 'by Dec 24', { due: '2024-12-31', confidence: 'high' }],
    ['livingGuide', A.livingGuide, { window: W.informationGuidance }, 'by Dec 24', { due: '2024-12-31', confidence: 'high' }],
    ['communityGuide', A.communityGuide, { window: W.informationGuidance }, 'by Dec 24', { due: '2024-12-31', confidence: 'high' }],
    ['navigator', A.navigator, { window: W.extendedOffer }, 'by Sept 24', { due: '2024-09-30', confidence: 'high' }],
    ['ndHub', A.ndHub, { window: W.extendedOffer }, 'in Sept 24', { due: '2024-09-30', confidence: 'high' }],
    ['emotional (16 – 25 ignored)', A.emotional, { window: W.extendedOffer }, 'by Sept 24', { due: '2024-09-30', confidence: 'high' }],
    ['tender', A.tender, { window: W.extendedOffer }, 'from end March 2025', { start: '2025-03-31', due: null, flags: ['start-only'], confidence: 'high' }],
    ['supportedLiving', A.supportedLiving, { window: W.independentLiving }, 'from Oct 24', { start: '2024-10-01', due: null, flags: ['start-only'], confidence: 'high' }],
    ['promo', A.promo, { window: W.annualHealthChecks }, 'COMPLETE', { due: null, completed: true, confidence: 'high' }],
    ['transitionPack', A.transitionPack, { window: W.annualHealthChecks }, 'by Dec 24', { due: '2024-12-31', confidence: 'high' }],
    ['hcpStrategic', A.hcpStrategic, { window: W.hcpStrategic }, 'in September 2024', { due: '2024-09-30', confidence: 'high' }],
    ['coverage (65%/85%/78% ignored)', A.coverage, { window: W.universalCoverage }, 'by March 25 / in 2025/26', { start: '2025-04-01', due: '2026-03-31', confidence: 'high', milestones: 2 }],
    ['mapPathways', A.mapPathways, { window: W.positiveImpact }, 'by Mar 25', { due: '2025-03-31', confidence: 'high' }],
    ['plansJune (12 month and 2-year ignored)', A.plansJune, { window: W.positiveImpact }, 'by June 25', { due: '2025-06-30', confidence: 'high' }],
    ['implDec', A.implDec, { window: W.positiveImpact }, 'by Dec 25', { due: '2025-12-31', confidence: 'high' }],
  ];

  it.each(rows)('%s', (_name, text, ctx, phrase, e) => {
    const found = findDeadlineInText(text, ctx);
    expect(found).not.toBeNull();
    expect(found!.phrase).toBe(phrase);
    expect(found!.deadline.text).toBe(phrase);
    check(found!.deadline, e);
  });

  it.each([
    ['gpEvent: "event 26 Sept" is an event, not a deadline', A.gpEvent, W.annualHealthChecks],
    ['educationPartnership: "14-25" is an age range', A.educationPartnership, W.extendedOffer],
    ['workCompleted: "Work completed with …" is not a completion marker', A.workCompleted, W.coProduction],
    ['completion: "in relation to completion." is not a marker', A.completion, W.coProduction],
    ['sencos: "are completed, to be profitable" is not a marker', A.sencos, W.coProduction],
    ['scopeNeeds', A.scopeNeeds, W.extendedOffer],
    ['prescribing', A.prescribing, W.managingRisk],
    ['ndptRollout: "3 primary schools", "from Portsmouth"', A.ndptRollout, W.neurodiversityWholeSystem],
    ['pfaDashboard', A.pfaDashboard, { start: null, due: '2025-03-31' }],
    ['housing (trailing \\u202f)', A.housing, W.independentLiving],
    ['trainingRollout', A.trainingRollout, W.awarenessTraining],
    ['schoolAwareness', A.schoolAwareness, W.annualHealthChecks],
    ['redesign', A.redesign, { start: null, due: '2025-03-31' }],
    ['gapAnalysisCommonality', A.gapAnalysisCommonality, { start: '2025-01-01', due: '2025-03-31' }],
    ['evidence: "profiles completed" (lowercase, no separator)', 'Increased number of neurodiversity (ND) profiles completed', null],
  ] as Array<[string, string, DeadlineContext['window'] | null]>)('no deadline in %s', (_name, text, window) => {
    expect(findDeadlineInText(text, window ? { window, reference: PLAN_DATE } : {})).toBeNull();
  });

  it('reads "by the end of the autumn term" in the dashboard sentence against the plan date', () => {
    const found = findDeadlineInText('We aim to have the dashboard in place by the end of the autumn term.', { reference: PLAN_DATE });
    expect(found?.phrase).toBe('in place by the end of the autumn term');
    check(found!.deadline, {
      due: '2024-12-20',
      flags: ['year-from-context', 'term-dates-default'],
      confidence: 'medium',
    });
  });

  it('ignores "on 24 September 2024" but keeps "by Dec" in the same action', () => {
    const found = findDeadlineInText(A.mdtByDec, { window: W.managingRisk, reference: PLAN_DATE });
    expect(found?.deadline.milestones).toHaveLength(1);
  });

  it('resolves "by Dec" from the window when the reference date is long after it (re-import in 2026)', () => {
    const found = findDeadlineInText(A.mdtByDec, { window: W.managingRisk, reference: '2026-02-01' });
    expect(found?.deadline.due).toBe('2024-12-31');
  });

  it('keeps each milestone of the "by March 25 … in 2025/26" action', () => {
    const found = findDeadlineInText(A.coverage, { window: W.universalCoverage });
    expect(found?.deadline.milestones.map((m) => [m.text, m.start, m.due])).toEqual([
      ['by March 25', null, '2025-03-31'],
      ['in 2025/26', '2025-04-01', '2026-03-31'],
    ]);
  });
});

describe('readDeadline: common UK forms', () => {
  const REF = { reference: PLAN_DATE };
  const forms: Array<[string, DeadlineContext | undefined, Expect]> = [
    // explicit days
    ['31 March 25', undefined, { due: '2025-03-31', confidence: 'high' }],
    ['31 Dec 24', undefined, { due: '2024-12-31' }],
    ['31st March 2025', undefined, { due: '2025-03-31' }],
    ['1st April 2025', undefined, { due: '2025-04-01' }],
    ['3rd of March 2025', undefined, { due: '2025-03-03' }],
    ['31-Mar-2025', undefined, { due: '2025-03-31' }],
    ['March 31st, 2025', undefined, { due: '2025-03-31' }],
    ['31/03/2025', undefined, { due: '2025-03-31' }],
    ['01/04/25', undefined, { due: '2025-04-01' }],
    ['05/06/2025', undefined, { due: '2025-06-05' }],
    ['2025-03-31', undefined, { due: '2025-03-31' }],
    ['29 Feb 2024', undefined, { due: '2024-02-29' }],
    ['w/c 3 March 2025', undefined, { start: '2025-03-03', due: '2025-03-09' }],
    // months
    ['Sept 24', undefined, { due: '2024-09-30', confidence: 'high' }],
    ['Sep 24', undefined, { due: '2024-09-30' }],
    ['sept. 2024', undefined, { due: '2024-09-30' }],
    ['Nov 24', undefined, { due: '2024-11-30' }],
    ['MARCH 2025', undefined, { due: '2025-03-31' }],
    ["Mar '25", undefined, { due: '2025-03-31' }],
    ['Mar-25', undefined, { due: '2025-03-31' }],
    ['February 2028', undefined, { due: '2028-02-29' }],
    // due cues
    ['by end Feb 25', undefined, { due: '2025-02-28' }],
    ['by the end of March 2025', undefined, { due: '2025-03-31' }],
    ['end of June 2025', undefined, { due: '2025-06-30' }],
    ['no later than 30 June 2025', undefined, { due: '2025-06-30' }],
    ['until July 2025', undefined, { due: '2025-07-31' }],
    ['in place by January 2025', undefined, { due: '2025-01-31' }],
    ['go live April 2025', undefined, { due: '2025-04-30' }],
    ['before April 2025', undefined, { due: '2025-03-31' }],
    // ranges
    ['Oct 24 – July 25', undefined, { start: '2024-10-01', due: '2025-07-31' }],
    ['Sept – Dec 24', undefined, { start: '2024-09-01', due: '2024-12-31' }],
    ['Nov – Feb 25', undefined, { start: '2024-11-01', due: '2025-02-28' }],
    ['Sept 24 to March 25', undefined, { start: '2024-09-01', due: '2025-03-31' }],
    ['January—March 2025', undefined, { start: '2025-01-01', due: '2025-03-31' }],
    ['Jan 25-Mar 25', undefined, { start: '2025-01-01', due: '2025-03-31' }],
    ['1 Sept 24 – 31 Dec 24', undefined, { start: '2024-09-01', due: '2024-12-31' }],
    ['3 – 7 March 2025', undefined, { start: '2025-03-03', due: '2025-03-07' }],
    // starts
    ['commencing Sept 24', undefined, { start: '2024-09-01', due: null, flags: ['start-only'], confidence: 'high' }],
    ['from April 2025', undefined, { start: '2025-04-01', due: null, flags: ['start-only'] }],
    ['starting January 2025', undefined, { start: '2025-01-01', due: null, flags: ['start-only'] }],
    ['Roll out from September 2025', undefined, { start: '2025-09-01', due: null, flags: ['start-only'] }],
    ['from Oct 24 onwards', undefined, { start: '2024-10-01', due: null, flags: ['start-only'] }],
    ['after March 2025', undefined, { start: '2025-04-01', due: null, flags: ['start-only'] }],
    // financial years and quarters
    ['2025/26', undefined, { start: '2025-04-01', due: '2026-03-31', confidence: 'high' }],
    ['25/26', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['2025-26', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['2025/2026', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['FY25/26', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['FY 2024-25', undefined, { start: '2024-04-01', due: '2025-03-31' }],
    ['financial year 2024/25', undefined, { start: '2024-04-01', due: '2025-03-31' }],
    ['for delivery in 25/26', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['during 25/26', undefined, { start: '2025-04-01', due: '2026-03-31' }],
    ['by 2025/26', undefined, { due: '2026-03-31' }],
    ['Q3 24/25', undefined, { start: '2024-10-01', due: '2024-12-31' }],
    ['Q4 24/25', undefined, { start: '2025-01-01', due: '2025-03-31' }],
    ['Q1 2025/26', undefined, { start: '2025-04-01', due: '2025-06-30' }],
    ['Q2 FY25/26', undefined, { start: '2025-07-01', due: '2025-09-30' }],
    ['third quarter of 2024/25', undefined, { start: '2024-10-01', due: '2024-12-31' }],
    ['end of Q4 2024/25', undefined, { due: '2025-03-31' }],
    ['by Q2 25/26', undefined, { due: '2025-09-30' }],
    ['Q1 2025', undefined, { start: '2025-01-01', due: '2025-03-31' }],
    ['Q3', REF, { start: '2024-10-01', due: '2024-12-31', flags: ['year-from-context'], confidence: 'medium' }],
    ['2025', undefined, { start: '2025-01-01', due: '2025-12-31' }],
    ['academic year 2024/25', undefined, { start: '2024-09-01', due: '2025-08-31' }],
    // school terms
    ['Summer term 2025', undefined, { ...SUMMER_2025_DEFAULT, flags: ['term-dates-default'], confidence: 'medium' }],
    ['autumn term 2024', undefined, { start: '2024-09-02', due: '2024-12-20', flags: ['term-dates-default'] }],
    ['Spring term 2026', undefined, { start: '2026-01-05', due: '2026-03-27', flags: ['term-dates-default'] }],
    ['Spring 2026', undefined, { start: '2026-01-05', due: '2026-03-27', flags: ['term-dates-default'] }],
    ['summer term 2024/25', undefined, { ...SUMMER_2025_DEFAULT, flags: ['term-dates-default'] }],
    ['by the end of spring term 2025', undefined, { due: '2025-04-04', flags: ['term-dates-default'], confidence: 'medium' }],
    ['end of the autumn term', REF, { due: '2024-12-20', flags: ['year-from-context', 'term-dates-default'], confidence: 'medium' }],
    ['end of the autumn term', { reference: '2025-01-10' }, { due: '2025-12-19', flags: ['year-from-context', 'term-dates-default'] }],
    ['during the summer term', { window: { start: '2024-09-01', due: '2025-07-31' } }, { ...SUMMER_2025_DEFAULT, flags: ['year-from-context', 'term-dates-default'] }],
    ['end of the autumn term', { reference: PLAN_DATE, terms: [{ name: 'autumn', start: '2024-09-04', end: '2024-12-18' }] }, { due: '2024-12-18', flags: ['year-from-context'], confidence: 'medium' }],
    ['Spring term 2025', { terms: [{ name: 'spring', start: '2025-01-07', end: '2025-04-11' }] }, { start: '2025-01-07', due: '2025-04-11', confidence: 'high' }],
    // ongoing and completed
    ['Ongoing', undefined, { due: null, ongoing: true, confidence: 'high' }],
    ['Ongoing to 31 Mar 25', undefined, { due: '2025-03-31', ongoing: true }],
    ['ongoing - to 31 March 2025', undefined, { due: '2025-03-31', ongoing: true }],
    ['Ongoing to Mar 25 and beyond', undefined, { due: '2025-03-31', ongoing: true, flags: ['and-beyond'] }],
    ['COMPLETED', undefined, { due: null, completed: true, confidence: 'high' }],
    ['COMPLETE', undefined, { due: null, completed: true }],
    ['Completed', undefined, { due: null, completed: true }],
    ['complete.', undefined, { due: null, completed: true }],
    ['31 July 24 - Completed', undefined, { due: '2024-07-31', completed: true }],
    ['Completed July 2024', undefined, { due: '2024-07-31', completed: true }],
    ['Dec 24 COMPLETE\n\nMar 25', undefined, { due: '2025-03-31', completed: false, milestones: 2 }],
    // months without a year
    ['by Dec', { window: { start: '2024-09-01', due: '2025-03-31' } }, { due: '2024-12-31', flags: ['year-from-context'], confidence: 'medium' }],
    ['by Dec', { window: { start: null, due: '2025-03-31' } }, { due: '2024-12-31', flags: ['year-from-context'] }],
    ['by Dec', REF, { due: '2024-12-31', flags: ['year-from-context'] }],
    ['by October', { reference: '2024-11-15' }, { due: '2025-10-31', flags: ['year-from-context'] }],
    ['from Sept.', { window: { start: '2024-09-01', due: '2025-07-31' } }, { start: '2024-09-01', due: null, flags: ['year-from-context', 'start-only'] }],
    ['by March', { window: { start: '2024-09-01', due: '2025-07-31' } }, { due: '2025-03-31', flags: ['year-from-context'] }],
    ['26 Sept', REF, { due: '2024-09-26', flags: ['year-from-context'], confidence: 'medium' }],
    ['Sept – Dec', REF, { start: '2024-09-01', due: '2024-12-31', flags: ['year-from-context'] }],
    ['by Dec', undefined, { due: null, flags: ['unreadable'], confidence: 'low' }],
    ['end of the autumn term', undefined, { due: null, flags: ['unreadable'], confidence: 'low' }],
    // several milestones
    ['Phase 1 by Dec 24; phase 2 by Mar 25', undefined, { due: '2025-03-31', milestones: 2 }],
    ['Dec 24\n\nTBC', undefined, { due: '2024-12-31', flags: ['partly-read', 'vague'], confidence: 'medium', milestones: 2 }],
    ['Dec 24\r\nWith: Head of SEND', undefined, { due: '2024-12-31', flags: ['partly-read'], confidence: 'medium' }],
    // vague and unreadable: never guessed
    ['TBC', undefined, { due: null, flags: ['vague'], confidence: 'low' }],
    ['tba', undefined, { due: null, flags: ['vague'] }],
    ['by year end', undefined, { due: null, flags: ['vague'], confidence: 'low' }],
    ['by the end of the year', undefined, { due: null, flags: ['vague'] }],
    ['next year', undefined, { due: null, flags: ['vague'] }],
    ['asap', undefined, { due: null, flags: ['vague'] }],
    ['early 2025', undefined, { due: null, flags: ['vague'] }],
    ['mid-March 2025', undefined, { due: null, flags: ['vague'] }],
    ['', undefined, { due: null, flags: ['unreadable'], confidence: 'low', milestones: 0 }],
    ['   \n\n  ', undefined, { due: null, flags: ['unreadable'], confidence: 'low', milestones: 0 }],
    ['31 February 2025', undefined, { due: null, flags: ['unreadable'], confidence: 'low' }],
    ['29 Feb 2025', undefined, { due: null, flags: ['unreadable'] }],
    ['31 April 2025', undefined, { due: null, flags: ['unreadable'] }],
    ['13/13/2025', undefined, { due: null, flags: ['unreadable'], confidence: 'low' }],
    ['03/31/2025', undefined, { due: null, flags: ['unreadable'] }],
    ['2025-02-30', undefined, { due: null, flags: ['unreadable'] }],
    ['Dec 25 – Jan 25', undefined, { due: null, flags: ['unreadable'] }],
    ['2022/27', undefined, { due: null, flags: ['unreadable'] }],
    ['Q3 24/26', undefined, { due: null, flags: ['unreadable'] }],
    ['Spring 1 2025', undefined, { due: null, flags: ['unreadable'] }],
    ['by Autumn 2', REF, { due: null, flags: ['unreadable'] }],
    ['lorem ipsum', undefined, { due: null, flags: ['unreadable'], confidence: 'low' }],
    ['With: Head of SEND', undefined, { due: null, flags: ['unreadable'] }],
  ];

  it.each(forms)('%j (%j)', (text, ctx, e) => {
    const d = readDeadline(text, ctx);
    expect(d.text).toBe(text);
    check(d, e);
  });

  it('keeps an unreadable phrase verbatim', () => {
    const d = readDeadline('  when the new IT system is in  ');
    expect(d.text).toBe('  when the new IT system is in  ');
    expect(d.milestones).toEqual([
      { text: 'when the new IT system is in', start: null, due: null, ongoing: false, completed: false, note: false, flags: ['unreadable'] },
    ]);
  });
});

describe('readDeadline: phrases that look like a date but are a guess are flagged, never given a due date', () => {
  const REF = { reference: PLAN_DATE };
  const V = { due: null, flags: ['vague'] as DeadlineFlag[], confidence: 'low' as Confidence };
  const U = { due: null, flags: ['unreadable'] as DeadlineFlag[], confidence: 'low' as Confidence };
  const cases: Array<[string, Expect]> = [
    // quarters, days and months that do not exist
    ['Q5 24/25', U],
    ['Q0 24/25', U],
    ['Q9 2025', U],
    ['Q10', U],
    ['Q3 24/26', U],
    ['31 Feb 25', U],
    ['30 Feb', U],
    ['32 March', U],
    ['32 March 2025', U],
    ['0 March 2025', U],
    ['31st June 2025', U],
    ['00/03/2025', U],
    ['31/09/2024', U],
    // words that look like a month but are not one
    ['Febtember 2025', U],
    ['Marchember 2025', U],
    ['Septembre 2025', U],
    ['Octobre 2024', U],
    ['Jnauary 2025', U],
    ['Febuary 2025', U],
    ['Feburary 2025', U],
    ['Marhc 2025', U],
    ['Apirl 2025', U],
    ['31 Decembre 2024', U],
    ['by Jnauary – March 2025', U],
    ['Aprl 2025', U],
    // years far outside a plan's life
    ['31 March 1925', U],
    ['March 1925', U],
    ['Q3 1924/25', U],
    ['Summer term 1925', U],
    ['1999', U],
    ['31 Dec 2099', U],
    ['Dec 99', U],
    ['by 2040', U],
    ['Q1 2099', U],
    ['2010/11', U],
    // hedges
    ['sometime in 2025', V],
    ['some time during 2025', V],
    ['at some point in 2025', V],
    ['approx March 2025', V],
    ['approx. March 2025', V],
    ['approximately Dec 24', V],
    ['c. March 2025', V],
    ['circa 2025', V],
    ['around March 2025', V],
    ['by around Sept 24', V],
    ['about Dec 24', V],
    ['roughly Q3 24/25', V],
    ['possibly March 2025', V],
    ['probably by end of March 25', V],
    ['hopefully by March 2025', V],
    ['ideally by March 2025', V],
    ['likely March 2025', V],
    ['tentatively March 2025', V],
    ['Provisionally 31 March 2025', V],
    ['estimated Dec 24', V],
    ['March 2025 (provisional)', V],
    ['March 2025 provisional', V],
    ['March 2025 – estimated', V],
    ['Dec 24 approx', V],
    ['March-ish 2025', V],
    ['Dec 24 TBC', V],
    ['TBC Dec 24', V],
    ['March 2025 (tbc)', V],
    ['March 2025 tbc', V],
    ['Sept 2024 to be confirmed', V],
    ['Dec 24 to be agreed', V],
    ['Indicative timescale: approximately Q4 24/25', V],
    // question marks
    ['March 2025?', V],
    ['Sept 24??', V],
    ['?March 2025', V],
    ['2025?', V],
    ['Dec 24 (to check?)', V],
    // alternatives
    ['March 25 or 26', V],
    ['31 March 25 or 26', V],
    ['March 2025 or April 2025', V],
    ['Dec 24 or Jan 25', V],
    ['either March or April 2025', V],
    ['Q2 or Q3 24/25', V],
    ['Q2/Q3 24/25', V],
    ['Summer or Autumn term 2025', V],
    ['2025 or 2026', V],
    ['within 2025 or 2026', V],
    ['Jan/Feb 2025', V],
    ['Feb/Mar 25', V],
    ['March/April 2025', V],
    ['Dec 24/Jan 25', V],
    ['March 25 / 26', V],
    ['31 Dec 24 and/or 31 Mar 25', V],
    ['Dec 24 or later', V],
    // a year that says which Easter, not a year-long deadline
    ['before Easter 2025', V],
    ['Christmas 2024', V],
    ['Winter 2025', V],
    ['Jnu 2025', V],
    ['~March 2025', V],
    ['March 2025ish', V],
    // bounds that are not a due date, and negations
    ['not before March 2025', V],
    ['not after March 2025', V],
    ['not by March 2025', V],
    ['not until April 2025', V],
    ['not March 2025', V],
    ['no earlier than April 2025', V],
    ['no sooner than Sept 24', V],
    ['not earlier than Sept 24', V],
    ['later than March 2025', V],
    ['unlikely before March 2025', V],
    ['March 2025 at the earliest', V],
    // superseded dates
    ['no date – was March 2025', V],
    ['originally March 2025', V],
    ['previously Dec 24', V],
    ['delayed from March 2025', V],
    ['delayed from March 2025 to June 2025', V],
    ['slipped from Q3 24/25', V],
  ];

  it.each(cases)('%j', (text, e) => {
    const d = readDeadline(text, REF);
    expect(d.text).toBe(text);
    check(d, e);
    // Kept verbatim for the officer who checks it.
    expect(d.milestones.map((m) => m.text).join('\n')).toBe(text.trim());
  });

  it('a doubtful line in a cell of several milestones leaves the others read, and says so', () => {
    check(readDeadline('Phase 1 by Dec 24\nPhase 2 sometime in 2025', REF), { due: '2024-12-31', flags: ['partly-read', 'vague'], confidence: 'medium' });
    check(readDeadline('Dec 24\nJnauary 2025', REF), { due: '2024-12-31', flags: ['partly-read'], confidence: 'medium' });
    check(readDeadline('Sept 24 (was Dec 24)', REF), { due: '2024-09-30', confidence: 'high', milestones: 2, notes: 1 });
  });

  const kept: Array<[string, Expect]> = [
    ['no later than March 2025', { due: '2025-03-31' }],
    ['not later than 30 June 2025', { due: '2025-06-30' }],
    ['March 2025 at the latest', { due: '2025-03-31' }],
    ['by March 2025 at the latest', { due: '2025-03-31' }],
    ['Dec 24 or earlier', { due: '2024-12-31' }],
    ['target March 2025', { due: '2025-03-31' }],
    ['expected March 2025', { due: '2025-03-31' }],
    ['delayed to June 2025', { due: '2025-06-30' }],
    ['end of 2025', { due: '2025-12-31' }],
    ['2024 – 2030', { start: '2024-01-01', due: '2030-12-31' }],
    ['Design and planning - Summer term 2025 / Roll out from September 2025', { ...SUMMER_2025_DEFAULT, flags: ['term-dates-default'], confidence: 'medium' }],
    ['Roll out AiS/NDPT Oct 24 – July 25', { start: '2024-10-01', due: '2025-07-31' }],
    ['Needs assessment /Evaluation of current provision by Oct 24', { due: '2024-10-31' }],
    ['Dec 24 – Jane to confirm the venue', { due: '2024-12-31' }],
    ['May 2025', { due: '2025-05-31' }],
    ['calendar year 2025', { start: '2025-01-01', due: '2025-12-31' }],
    ['Roll out 3 hubs by March 2025', { due: '2025-03-31' }],
    ['Set up 2 panels by Dec 24', { due: '2024-12-31' }],
  ];

  it.each(kept)('still reads %j', (text, e) => {
    check(readDeadline(text, REF), e);
  });
});

describe('findDeadlineInText: guesses in prose are flagged too', () => {
  const WIN: DeadlineContext = { window: { start: '2024-09-01', due: '2025-03-31' }, reference: PLAN_DATE };
  const rows: Array<[string, string, Expect]> = [
    ['Launch the hub sometime in 2025', 'in 2025', { due: null, flags: ['vague'], confidence: 'low' }],
    ['Agree the model by Dec 24 TBC', 'by Dec 24 / TBC', { due: null, flags: ['vague'], confidence: 'low' }],
    ['Report to the board not before March 2025', 'before March 2025', { due: null, flags: ['vague'] }],
    ['Evaluate the pilot by around Sept 24', 'by around Sept 24', { due: null, flags: ['vague'] }],
    ['Publish the guide by Febuary 2025', 'by Febuary 2025', { due: null, flags: ['unreadable'] }],
    ['Review progress by Septembre', 'by Septembre', { due: null, flags: ['unreadable'] }],
    ['Can we finish the audit by March 2025?', 'by March 2025', { due: null, flags: ['vague'] }],
    ['Recruit two posts by March 25 or 26', 'by March 25', { due: null, flags: ['vague'] }],
    ['Roll out the tool Q2 or Q3 24/25', 'Q3 24/25', { due: null, flags: ['vague'] }],
    ['Move the launch, delayed from March 2025 to June 2025', 'from March 2025 to June 2025', { due: null, flags: ['vague'] }],
    ['Train staff by 31 Dec 2099', 'by 31 Dec 2099', { due: null, flags: ['unreadable'] }],
    ['Report by Q5 24/25', 'by Q5 24/25', { due: null, flags: ['unreadable'] }],
    // Still read: the doubt words are about something else.
    ['Bring about change in practice by March 2025', 'by March 2025', { due: '2025-03-31' }],
    ['Approximately 50 schools trained by March 2025', 'by March 2025', { due: '2025-03-31' }],
    ['Signed off by Jane Doe by Dec 24', 'by Dec 24', { due: '2024-12-31' }],
    ['Deliver training or coaching by March 2025', 'by March 2025', { due: '2025-03-31' }],
    ['Ensure children do not wait, by March 2025', 'by March 2025', { due: '2025-03-31' }],
  ];

  it.each(rows)('%j', (text, phrase, e) => {
    const found = findDeadlineInText(text, WIN);
    expect(found?.phrase).toBe(phrase);
    check(found!.deadline, e);
  });

  it('leaves prose without a date alone (a cue and a name is not a misspelt month)', () => {
    expect(findDeadlineInText('Agreed by Jane and the SENCO forum', WIN)).toBeNull();
    expect(findDeadlineInText('Work in partnership with Solent', WIN)).toBeNull();
  });
});

describe('findDeadlineInText: common prose forms', () => {
  const WIN: DeadlineContext = { window: { start: '2024-09-01', due: '2025-03-31' } };
  const rows: Array<[string, string | null, Expect | null]> = [
    ['Launch the guide – Dec 24', 'Dec 24', { due: '2024-12-31' }],
    ['Complete the audit by Dec 24', 'by Dec 24', { due: '2024-12-31' }],
    ['Review the offer (by Dec 24)', 'by Dec 24', { due: '2024-12-31' }],
    ['Deliver the pilot by Mar 25 (review in 25/26)', 'by Mar 25 / in 25/26', { due: '2025-03-31' }],
    ['Report to board Q3 2024/25', 'Q3 2024/25', { start: '2024-10-01', due: '2024-12-31' }],
    ['Train all SENCOs during the spring term', 'during the spring term', { start: '2025-01-06', due: '2025-04-04', flags: ['year-from-context', 'term-dates-default'] }],
    ['Roll out from September 2025 across all settings', 'from September 2025', { start: '2025-09-01', due: null, flags: ['start-only'] }],
    ['Ongoing work through to Mar 25 & beyond', 'through to Mar 25 & beyond', { due: '2025-03-31', ongoing: true, flags: ['and-beyond'] }],
    ['Deliver sessions Oct 24 – Jan 25 in all localities', 'Oct 24 – Jan 25', { start: '2024-10-01', due: '2025-01-31' }],
    ['Review progress by year end', 'by year end', { due: null, flags: ['vague'], confidence: 'low' }],
    ['Agree the model ASAP', 'ASAP', { due: null, flags: ['vague'] }],
    ['Agree the model – Completed', 'Completed', { due: null, completed: true }],
    ['Agree the model by Dec 24 (completed)', 'by Dec 24 / completed', { due: '2024-12-31', completed: true }],
    ['Training for 16-17 year olds', null, null],
    ['Presentation at the event on 12 March 2025', null, null],
    ['Building on the work done in early 2024', null, null],
    ['Where capacity may be a barrier to learning', null, null],
    ['Plan runs 2022 – 2027 in line with the strategy', null, null],
    ['In line with the Children and Families Act 2014', null, null],
    ['Processes in place to complete the audit', null, null],
    ['', null, null],
  ];

  it.each(rows)('%j', (text, phrase, e) => {
    const found = findDeadlineInText(text, WIN);
    if (phrase === null) {
      expect(found).toBeNull();
      return;
    }
    expect(found?.phrase).toBe(phrase);
    check(found!.deadline, e!);
  });

  it('treats a parenthetical date as a note when the prose has another deadline', () => {
    const found = findDeadlineInText('Deliver the pilot by Mar 25 (review in 25/26)', WIN);
    expect(found?.deadline.milestones.map((m) => m.note)).toEqual([false, true]);
  });
});

// A small deterministic generator: the same "random" strings on every run.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('never throws', () => {
  const ALLOWED: DeadlineFlag[] = ['unreadable', 'partly-read', 'year-from-context', 'start-only', 'and-beyond', 'term-dates-default', 'vague'];
  const ISO = /^\d{4}-\d{2}-\d{2}$/;
  const TOKENS = [
    'by', 'from', 'end', 'of', 'the', 'to', '–', '—', '-', '/', '(', ')', '&', 'beyond', 'Ongoing', 'COMPLETED', 'complete',
    'Sept', 'Sept.', 'Dec', 'March', 'may', 'May', 'Q3', 'Q5', 'FY', '24', '25', '2025', '2024/25', '25/26', '31', '0', '99',
    '31/02/2025', '2025-13-01', 'summer', 'term', 'autumn', 'spring', 'year', 'TBC', 'w/c', '\n', '\n\n', '\u202f', ' ', '  ',
    '1st', 'of', 'aged', 'on', 'in', 'academic', 'financial', 'onwards', '9999', '0000', '00/00/00', 'early', 'mid',
  ];
  const check = (d: Deadline, input: string): void => {
    expect(d.text).toBe(input);
    expect(['high', 'medium', 'low']).toContain(d.confidence);
    for (const f of d.flags) expect(ALLOWED).toContain(f);
    if (d.due !== null) expect(d.due).toMatch(ISO);
    if (d.start !== null) expect(d.start).toMatch(ISO);
    for (const m of d.milestones) {
      if (m.due !== null) expect(m.due).toMatch(ISO);
      if (m.start !== null) expect(m.start).toMatch(ISO);
      if (m.start !== null && m.due !== null) expect(m.start <= m.due).toBe(true);
    }
    if (d.flags.includes('unreadable') || (d.flags.includes('vague') && !d.flags.includes('partly-read'))) {
      expect(d.confidence).toBe('low');
      expect(d.due).toBeNull();
    }
  };

  it('for thousands of random strings (tokens and arbitrary unicode)', () => {
    const rnd = mulberry32(20240827);
    const contexts: Array<DeadlineContext | undefined> = [
      undefined,
      { reference: PLAN_DATE },
      { window: { start: '2024-09-01', due: '2025-03-31' } },
      { window: { start: null, due: null }, reference: 'not a date' },
      { terms: [{ name: 'summer', start: '2025-07-30', end: '2025-04-01' }] },
    ];
    for (let n = 0; n < 4000; n += 1) {
      let s = '';
      const len = Math.floor(rnd() * 12);
      for (let k = 0; k < len; k += 1) {
        const r = rnd();
        if (r < 0.6) s += TOKENS[Math.floor(rnd() * TOKENS.length)] + (rnd() < 0.7 ? ' ' : '');
        else if (r < 0.8) s += String.fromCharCode(Math.floor(rnd() * 0x3000));
        else s += String.fromCodePoint(Math.floor(rnd() * 0x10ffff) & ~0x800 /* avoid lone surrogates half the time */);
      }
      const ctx = contexts[n % contexts.length];
      check(readDeadline(s, ctx), s);
      const found = findDeadlineInText(s, ctx);
      if (found) check(found.deadline, found.phrase);
    }
  });

  it('for huge input and non-string input', () => {
    const huge = 'Sept 24 – Dec 24 by year end (25/26) '.repeat(20_000);
    check(readDeadline(huge), huge);
    expect(() => findDeadlineInText(huge)).not.toThrow();
    const spaces = 'March' + ' '.repeat(200_000) + '2025';
    check(readDeadline(spaces), spaces);
    expect(() => findDeadlineInText(spaces)).not.toThrow();
    const bad = readDeadline(undefined as unknown as string);
    expect(bad.flags).toEqual(['unreadable']);
    expect(findDeadlineInText(null as unknown as string)).toBeNull();
    expect(() => readDeadline('by Dec', { window: 42 } as unknown as DeadlineContext)).not.toThrow();
  });
});

describe('readDeadline: completion, ongoing starts and revised dates (issue 23)', () => {
  const ctx = { reference: '2024-01-15' };
  // text, due, completed, start, ongoing, revisedFrom, flags
  const rows: [string, string | null, boolean, string | null, boolean, string | null, DeadlineFlag[]][] = [
    ['Complete', null, true, null, false, null, []],
    ['COMPLETED', null, true, null, false, null, []],
    ['Done', null, true, null, false, null, []],
    ['DONE.', null, true, null, false, null, []],
    ['completed', null, true, null, false, null, []],
    // The date given with the marker is the completion date.
    ['Complete - Sept 23', '2023-09-30', true, null, false, null, []],
    ['complete: March 2024', '2024-03-31', true, null, false, null, []],
    ['Done (Jan 24)', '2024-01-31', true, null, false, null, []],
    ['COMPLETED - 31 March 2024', '2024-03-31', true, null, false, null, []],
    ['Completed Sept 23', '2023-09-30', true, null, false, null, []],
    // A date followed by "ongoing" is when the work started: no due date.
    ['Sept 2023 - ongoing', null, false, '2023-09-01', true, null, ['start-only']],
    ['April 2024 and ongoing', null, false, '2024-04-01', true, null, ['start-only']],
    ['Sept 2023 – ongoing', null, false, '2023-09-01', true, null, ['start-only']],
    // …but "ongoing to <date>" still ends then.
    ['Ongoing - to 31 March 24', '2024-03-31', false, null, true, null, []],
    ['Jan 2024 onwards', null, false, '2024-01-01', false, null, ['start-only']],
    ['Ongoing', null, false, null, true, null, []],
    ['TBC', null, false, null, false, null, ['vague']],
    ['Summer holidays 2024', null, false, null, false, null, ['vague']],
    ['Easter 2024', null, false, null, false, null, ['vague']],
    // The date it was revised from is the baseline; the due date is the current one.
    ['March 2024 (revised from Dec 23)', '2024-03-31', false, null, false, '2023-12-31', []],
    ['March 2025 (was Dec 24)', '2025-03-31', false, null, false, '2024-12-31', []],
    ['30 June 2024 (delayed from 31 March 2024)', '2024-06-30', false, null, false, '2024-03-31', []],
    ['March 2024 (revised from sometime)', '2024-03-31', false, null, false, null, []],
  ];
  it.each(rows)('%j', (text, due, completed, start, ongoing, revisedFrom, flags) => {
    const d = readDeadline(text, ctx);
    expect({ due: d.due, completed: d.completed, start: d.start, ongoing: d.ongoing, revisedFrom: d.revisedFrom, flags: d.flags }).toEqual({
      due,
      completed,
      start,
      ongoing,
      revisedFrom,
      flags,
    });
  });

  it('a completion marker never reads as "no date" or unreadable, whatever its case and punctuation', () => {
    for (const word of ['Complete', 'COMPLETE', 'Completed', 'completed', 'Done', 'done', 'DONE']) {
      for (const dressed of [word, `${word}.`, ` ${word} `, `(${word})`, `${word}!`]) {
        const d = readDeadline(dressed, ctx);
        expect(d.completed, dressed).toBe(true);
        expect(d.flags, dressed).not.toContain('unreadable');
      }
    }
  });

  it('a vague or ongoing phrase never has a due date, and "vague" on its own means no due date', () => {
    for (const text of ['Ongoing', 'TBC', 'tbc', 'To be confirmed', 'Summer holidays 2024', 'sometime in 2025', 'Dec 24 TBC', 'March 2025?', 'ongoing']) {
      const d = readDeadline(text, ctx);
      expect(d.due, text).toBeNull();
    }
  });
});
