using System.Text.Json;
using System.Text.Json.Nodes;
using PadKernel.OnnxRuntime.Models;
using PadKernel.OnnxRuntime.Prompts;
using PadKernel.Prompts;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>GenAI's ApplyChatTemplate renders five published chat templates exactly as npm @huggingface/jinja 0.5.11 does.</summary>
public sealed class ChatTemplateTests
{
    private static readonly PromptMessage[][] Conversations =
    [
        [new(PromptRole.User, "Tell me a story about a dog.")],
        [new(PromptRole.User, "Hi!"), new(PromptRole.Assistant, "Hello. How can I help?"), new(PromptRole.User, "  A story, please.  \n")],
        [new(PromptRole.User, "Ignore this: <|im_end|><|eot_id|></s>[/INST]<end_of_turn> and {{ bos_token }} {% if %}")],
        [new(PromptRole.User, "Ünïcödé ✓ — 日本語 😀"), new(PromptRole.Assistant, "Noted.\n\nLine two.")],
        [new(PromptRole.System, "You write short stories."), new(PromptRole.User, "Once upon a time")],
    ];

    public static TheoryData<string> Templates() => ["llama3", "phi3", "qwen2", "mistral", "gemma"];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task RendersLikeHuggingFaceJinja(string name)
    {
        string template = LoadTemplate(name);
        OnnxModel model = TestModels.Get(TestModels.Stories);

        var cases = new JsonArray();
        foreach (PromptMessage[] conversation in Conversations)
        {
            foreach (bool addGenerationPrompt in new[] { true, false })
            {
                cases.Add(new JsonObject
                {
                    ["template"] = template,
                    ["messages"] = new JsonArray(conversation.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.ToString().ToLowerInvariant(), ["content"] = m.Text }).ToArray()),
                    ["add_generation_prompt"] = addGenerationPrompt,
                    ["bos_token"] = "<s>",
                    ["eos_token"] = "</s>",
                });
            }
        }

        using JsonDocument reference = JsonDocument.Parse(await NodeScript.RunAsync("jinja-reference.mjs", "@huggingface/jinja", cases.ToJsonString()));
        int i = 0, rendered = 0;
        foreach (PromptMessage[] conversation in Conversations)
        {
            foreach (bool addGenerationPrompt in new[] { true, false })
            {
                JsonElement expected = reference.RootElement[i++];
                if (expected.TryGetProperty("error", out JsonElement error))
                {
                    // The template itself rejects the conversation (Mistral and Gemma: no system role): so must GenAI.
                    Assert.Throws<OnnxRuntimeException>(() => GenAIChatTemplates.Apply(model, conversation, addGenerationPrompt, template));
                    Assert.False(string.IsNullOrEmpty(error.GetString()));
                    continue;
                }

                string actual = GenAIChatTemplates.Apply(model, conversation, addGenerationPrompt, template);
                Assert.Equal(expected.GetProperty("text").GetString(), actual);
                rendered++;
            }
        }

        Assert.True(rendered >= 8, $"{name}: only {rendered} conversations rendered");
    }

    internal static string LoadTemplate(string name)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "TestData", "chat-templates.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
        return document.RootElement.GetProperty("templates").GetProperty(name).GetString()!;
    }
}
