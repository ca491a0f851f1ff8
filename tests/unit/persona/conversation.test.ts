import { describe, expect, it } from "vitest";
import { buildConversationMessages } from "@/lib/domain/persona/conversation";

describe("buildConversationMessages", () => {
  it("sends only the prompt for a first turn without persona", () => {
    expect(buildConversationMessages({ systemPrompt: null, turns: [], newPrompt: "Hi" })).toEqual([{ role: "user", content: "Hi" }]);
  });

  it("puts the system prompt first", () => {
    const messages = buildConversationMessages({ systemPrompt: "Persona", turns: [], newPrompt: "Hi" });
    expect(messages).toEqual([
      { role: "system", content: "Persona" },
      { role: "user", content: "Hi" },
    ]);
  });

  it("skips a blank system prompt", () => {
    expect(buildConversationMessages({ systemPrompt: "  ", turns: [], newPrompt: "Hi" })).toHaveLength(1);
  });

  it("replays the whole conversation of this side in order", () => {
    const messages = buildConversationMessages({
      systemPrompt: "S",
      turns: [
        { prompt: "p1", answer: "a1" },
        { prompt: "p2", answer: "a2" },
      ],
      newPrompt: "p3",
    });
    expect(messages.map((message) => `${message.role}:${message.content}`)).toEqual([
      "system:S",
      "user:p1",
      "assistant:a1",
      "user:p2",
      "assistant:a2",
      "user:p3",
    ]);
  });

  it("leaves out turns this side never answered so roles alternate", () => {
    const messages = buildConversationMessages({
      systemPrompt: null,
      turns: [{ prompt: "p1" }, { prompt: "p2", answer: "a2" }, { prompt: "p3", answer: "" }],
      newPrompt: "p4",
    });
    expect(messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(messages[0].content).toBe("p2");
  });
});
