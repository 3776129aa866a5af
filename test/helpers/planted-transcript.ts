/**
 * Meeting transcripts written for the LLM tests, with planted facts (names, places, amounts, dates)
 * and planted action items whose owners and tasks are known, so a summary can be checked for what
 * it must contain. Five sections on unrelated topics, each with its own facts: one section is a
 * short transcript, all five (about 1,500 words) a long one.
 */

export interface PlantedSection {
  text: string;
  /** Words a faithful summary of this section names (checked case-insensitively). */
  facts: string[];
  /** Action items: the owner's name and a word of the task, both expected on one line of the list. */
  actions: Array<{ owner: string; task: string }>;
}

export const SECTIONS: PlantedSection[] = [
  {
    text: `Priya: Good morning everyone, let's start with the offsite. We agreed to hold it in Lisbon this year.
Tomasz: Right. I checked the numbers last night. The total budget for the offsite is 48,000 euros, which covers travel, the venue and two dinners.
Priya: That's within what finance approved. What dates are we looking at?
Tomasz: The venue has availability on March 14, so the offsite would run March 14 to March 16.
Priya: Great, March 14 works for the leadership team as well. Tomasz, can you send the revised budget to finance by Friday?
Tomasz: Yes, I will send the revised budget to finance by Friday.
Priya: And I will book the venue in Lisbon this week, before someone else takes those dates.
Tomasz: One more thing: about sixty people have confirmed so far, so we should plan for sixty-five to be safe.
Priya: Agreed, sixty-five it is. Let's move on.`,
    facts: ['Lisbon', '48,000', 'March 14'],
    actions: [
      { owner: 'Tomasz', task: 'budget' },
      { owner: 'Priya', task: 'venue' },
    ],
  },
  {
    text: `Ingrid: Next topic is the Falcon release. I'm afraid we have to move it.
Marcus: How bad is it?
Ingrid: The migration scripts failed twice in staging. The new release date is April 2 instead of March 20.
Marcus: That hurts, but it is better than shipping broken migrations. Which version will go out?
Ingrid: Version 2.3, with the reporting module included. The servers in the Warsaw data center are ready; only the migration is blocking us.
Marcus: Then let's be transparent with customers. Ingrid, please write the customer announcement about the delay by Wednesday.
Ingrid: I will write the announcement by Wednesday and share it with support first.
Marcus: I'll rerun the migration tests every night until they pass three nights in a row.
Ingrid: Good. If they pass, we freeze the code on March 28.`,
    facts: ['Falcon', 'April 2', 'Warsaw'],
    actions: [
      { owner: 'Ingrid', task: 'announcement' },
      { owner: 'Marcus', task: 'migration' },
    ],
  },
  {
    text: `Aiko: On hiring, we have approval for three backend engineers.
Priya: Where will they sit?
Aiko: Two in the Nairobi office and one remote. Nairobi has been great for us, and the team there is asking for more people.
Priya: What about the timeline?
Aiko: I'd like offers out before the end of the quarter. The recruiting agency we used last time, Brightpath, charges a fee of 15 percent, so I want to try our own job board first.
Priya: That makes sense. Aiko, will you post the job openings on the company careers page tomorrow?
Aiko: Yes, I will post the three job openings tomorrow morning.
Priya: And I'll ask the Nairobi team leads to join the interview panels.
Aiko: Perfect, that will speed things up a lot.`,
    facts: ['Nairobi', 'three backend engineers', 'Brightpath'],
    actions: [
      { owner: 'Aiko', task: 'job' },
      { owner: 'Priya', task: 'interview' },
    ],
  },
  {
    text: `Marcus: Now the Bluewater Hotels escalation. They were double charged in January.
Tomasz: How much are we talking about?
Marcus: The duplicate charge was 1,200 dollars. Their finance director, Helena Okafor, called me twice about it.
Tomasz: Then we refund them right away. We can't let a customer of that size wait.
Marcus: Agreed. The root cause was a retry in the billing job that did not check whether the first charge went through.
Tomasz: Marcus, please issue the refund of 1,200 dollars to Bluewater Hotels today.
Marcus: I will issue the refund today and call Helena Okafor to apologize.
Tomasz: I'll add an idempotency check to the billing job so this cannot happen again.
Marcus: Thanks. Bluewater is renewing in May, so this matters.`,
    facts: ['Bluewater', '1,200', 'Helena Okafor'],
    actions: [
      { owner: 'Marcus', task: 'refund' },
      { owner: 'Tomasz', task: 'idempotency' },
    ],
  },
  {
    text: `Ingrid: Last item, the security audit. Kestrel Security finished their review last week.
Aiko: What did they find?
Ingrid: Nothing critical. Their main recommendation is to require two-factor authentication for every employee account.
Aiko: What deadline did they suggest?
Ingrid: They want two-factor authentication enforced by June 30, and a second audit in September.
Aiko: That's doable. Ingrid, can you roll out two-factor authentication to the whole company?
Ingrid: Yes, I will roll out two-factor authentication before June 30, starting with the engineering team.
Aiko: I'll schedule the follow-up audit with Kestrel Security for September.
Ingrid: Great. That's everything for today, thanks all.`,
    facts: ['Kestrel Security', 'June 30', 'two-factor'],
    actions: [
      { owner: 'Ingrid', task: 'two-factor' },
      { owner: 'Aiko', task: 'audit' },
    ],
  },
];

/** One section: a short meeting (about 170 words). */
export const shortMeeting = (): PlantedSection => SECTIONS[0];

/** All five sections as one meeting (about 1,500 words... of which the test uses facts per section). */
export function longMeeting(): { text: string; sections: PlantedSection[] } {
  return { text: SECTIONS.map((s) => s.text).join('\n'), sections: SECTIONS };
}

export const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
