// A third party's program against Lore's /xapi/, written with the npm package @xapi/xapi
// as its documentation shows. Run by the story xapi_client.rs; prints one JSON line per step.
"use strict";
const XAPI = require("@xapi/xapi");

const endpoint = process.env.LRS_ENDPOINT;
const version = process.env.LRS_VERSION;
const auth = XAPI.toBasicAuth(process.env.LRS_KEY, process.env.LRS_SECRET);
const xapi = new XAPI({ endpoint, auth, version });

const say = (step, value) => console.log(JSON.stringify({ step, value }));
const agent = (who) => ({ objectType: "Agent", name: who, mbox: `mailto:${who}@client.test` });
const activity = (id) => ({ objectType: "Activity", id: `https://client.test/activities/${id}` });

async function main() {
  const about = await xapi.getAbout();
  say("about", about.data.version);

  const statements = [];
  for (let i = 0; i < 5; i++) {
    statements.push({ actor: agent("ada"), verb: XAPI.Verbs.PROGRESSED, object: activity(`lesson-${i}`) });
  }
  statements.push({ actor: agent("ada"), verb: XAPI.Verbs.COMPLETED, object: activity("course") });
  statements.push({ actor: agent("bob"), verb: XAPI.Verbs.COMPLETED, object: activity("course") });
  const sent = await xapi.sendStatements({ statements });
  say("sent", sent.data.length);

  const one = await xapi.getStatement({ statementId: sent.data[0] });
  say("fetched", one.data.id === sent.data[0]);

  // Page through ada's statements two at a time.
  let page = await xapi.getStatements({ agent: agent("ada"), limit: 2 });
  let seen = page.data.statements.length;
  let pages = 1;
  while (page.data.more) {
    page = await xapi.getMoreStatements({ more: page.data.more });
    seen += page.data.statements.length;
    pages += 1;
  }
  say("ada", { seen, pages });

  const completed = await xapi.getStatements({ verb: XAPI.Verbs.COMPLETED.id, activity: activity("course").id });
  say("completed", completed.data.statements.map((s) => s.actor.mbox).sort());

  // State: store, read back, list.
  // One activity per version: 2.0.0 refuses a PUT without If-Match on an existing state.
  const where = { agent: agent("ada"), activityId: activity(`course-${version}`).id, stateId: "bookmark" };
  await xapi.setState({ ...where, state: { page: 7 } });
  const state = await xapi.getState(where);
  say("state", state.data);
  const ids = await xapi.getStates({ agent: where.agent, activityId: where.activityId });
  say("states", ids.data);
}

main().catch((e) => {
  const detail = e.response ? `${e.response.status} ${JSON.stringify(e.response.data)}` : String(e);
  console.log(JSON.stringify({ step: "error", value: detail }));
  process.exit(1);
});
