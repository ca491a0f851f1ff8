import { describe, expect, it } from "vitest";
import { detectIdentityLeak, type TLeakParticipant } from "@/lib/domain/battle/identity-leak";

const claude: TLeakParticipant = { slug: "anthropic/claude-3-5-sonnet", displayName: "Claude 3.5 Sonnet", organizationName: "Anthropic" };
const gemini: TLeakParticipant = { slug: "gemini-1.5-pro", displayName: "Gemini 1.5 Pro", organizationName: "Google" };
const llama: TLeakParticipant = { slug: "llama-3-70b", displayName: "Llama 3 70B", organizationName: "Meta" };
const phi: TLeakParticipant = { slug: "phi", displayName: "Phi", organizationName: "Microsoft" };
const nova: TLeakParticipant = { slug: "acme-nova", displayName: "Nova", organizationName: "Acme Labs" };

function matchesOf(text: string, participants: TLeakParticipant[] = []): string[] {
  return detectIdentityLeak(text, participants).matches;
}

describe("detectIdentityLeak: participants", () => {
  it("flags a participant's display name", () => {
    const leak = detectIdentityLeak("As Claude 3.5 Sonnet, I think…", [claude]);
    expect(leak.leaked).toBe(true);
    expect(leak.matches).toContain("claude 3 5 sonnet");
  });

  it("matches names regardless of case and punctuation", () => {
    expect(matchesOf("i am CLAUDE-3.5-sonnet", [claude])).toContain("claude 3 5 sonnet");
  });

  it("flags the slug without its namespace", () => {
    expect(matchesOf("model id: acme-nova", [nova])).toContain("acme nova");
  });

  it("flags a participant's organization", () => {
    expect(matchesOf("Acme Labs built me.", [nova])).toContain("acme labs");
  });

  it("flags a participant's organization even when it is a common brand", () => {
    expect(matchesOf("You could search Google for it.", [gemini])).toContain("google");
  });

  it("does not flag that brand when its model is not in the battle", () => {
    expect(matchesOf("You could search Google for it.", [claude])).toEqual([]);
  });

  it("respects word boundaries for participant names", () => {
    expect(matchesOf("The supernova exploded.", [nova])).toEqual([]);
  });

  it("does not match ambiguous one-word participant names bare", () => {
    expect(matchesOf("A meta-analysis of the golden ratio phi.", [llama, phi])).toEqual([]);
  });

  it("still catches the unambiguous forms of ambiguous names", () => {
    expect(matchesOf("I am built on Meta AI's Llama 3.", [llama])).toEqual(expect.arrayContaining(["llama", "meta"]));
    expect(matchesOf("I'm Phi-3, a small model.", [phi])).toEqual(expect.arrayContaining(["phi"]));
  });
});

describe("detectIdentityLeak: identity words", () => {
  it.each([
    ["I'm ChatGPT, made by OpenAI.", ["openai", "chatgpt"]],
    ["As GPT-4o I cannot browse.", ["gpt"]],
    ["I am Claude, an AI assistant.", ["claude"]],
    ["I was trained by Google.", ["google"]],
    ["This is Gemini 1.5 Flash.", ["gemini"]],
    ["Google DeepMind trained me.", ["google", "deepmind"]],
    ["Built on Llama-2.", ["llama"]],
    ["Mixtral 8x7B here.", ["mixtral"]],
    ["Mistral Large says hi.", ["mistral"]],
    ["Qwen2.5 is my name.", ["qwen"]],
    ["Developed at Alibaba Cloud.", ["alibaba"]],
    ["I am Yi-Large from 01.AI.", ["yi", "01.ai", "yi"]],
    ["DeepSeek-V3 responding.", ["deepseek"]],
    ["Cohere's Command-R model.", ["cohere", "command-r"]],
    ["Microsoft Research built me.", ["microsoft"]],
    ["Vicuna-13B by LMSYS.", ["vicuna", "lmsys"]],
    ["Falcon-180B answers.", ["falcon"]],
    ["PaLM 2 is my base.", ["palm"]],
    ["I'm Grok, built by xAI.", ["grok", "xai"]],
    ["Llama-3.1-Nemotron here.", ["llama", "nemotron"]],
    ["Reka Core speaking.", ["reka"]],
    ["AI21's Jamba-1.5.", ["ai21", "jamba"]],
    ["Zhipu's ChatGLM3.", ["zhipu", "glm"]],
    ["I am a language model created by the team at Meta.", ["meta"]],
  ])("flags %s", (text, expected) => {
    expect(matchesOf(text)).toEqual(expect.arrayContaining([...new Set(expected)]));
  });

  it("returns lower-case unique matches", () => {
    const { matches } = detectIdentityLeak("OpenAI, OPENAI and openai", []);
    expect(matches).toEqual(["openai"]);
  });
});

describe("detectIdentityLeak: false positives not flagged", () => {
  it.each([
    "A meta-analysis of twelve trials found no effect.",
    "The metadata is stored in a JSON file.",
    "The golden ratio phi is about 1.618.",
    "Admiral Yi Sun-sin defeated the fleet.",
    "Llamas and alpacas are camelids; a llama can carry 30 kg.",
    "Claude Monet painted water lilies; Claude Shannon founded information theory.",
    "The anthropic principle says the universe must allow observers.",
    "Gemini is an air sign, like Libra.",
    "Convert the disk from MBR to GPT before installing.",
    "The Falcon 9 rocket landed; a falcon is a bird.",
    "Fit a generalized linear model (GLM) to the counts.",
    "XAI (explainable AI) methods include SHAP.",
    "The mistral is a cold wind in southern France.",
    "The ideas did not cohere into a plan.",
    "Hold it in the palm of your hand.",
    "Run the command ls -la to list files.",
    "It took me a while to grok recursion.",
    "The Phillies won; Phil called me.",
    "Use a Bard-style ballad meter, like the Bard of Avon.",
    "Reka means river in several Slavic languages.",
    "Jamba Juice sells smoothies.",
    "The Amazon River is the largest by discharge.",
  ])("does not flag %s", (text) => {
    expect(detectIdentityLeak(text, [])).toEqual({ leaked: false, matches: [] });
  });

  it("does not flag an empty answer", () => {
    expect(detectIdentityLeak("", [claude, gemini]).leaked).toBe(false);
  });
});
