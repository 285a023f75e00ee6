using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using PadKernel.Alignment;
using PadKernel.Decoding;
using PadKernel.Llama2c;
using PadKernel.Models;
using PadKernel.Server.Hosting;

namespace PadKernel.Server.Tests;

/// <summary><c>pad serve --reward-model</c>: requests with <c>pad.mode: "reward_model"</c> are steered by the project's PersRM.</summary>
public sealed class RewardModelServingTests
{
    private const string Prompt = "Tom found a box under his bed.";
    private const string Frog = "The story is about a frog.";

    [Fact]
    public async Task RewardModelModeUsesTheConfiguredRewardModel()
    {
        string persrm = Path.Combine(TestData.RepositoryRoot, "models", "stories260K-persrm");
        var options = new PadServerHostOptions
        {
            Urls = ["http://127.0.0.1:0"],
            ModelPath = TestData.StoriesFolder,
            RewardModelPath = persrm,
            AllowAnonymous = true,
            PreferencesDatabase = Path.Combine(Path.GetTempPath(), $"padkernel-rm-{Guid.NewGuid():N}.db"),
        };
        options.Loaders.Add(new Llama2cModelLoader());
        WebApplication app = PadServerApplication.Create(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await using (app)
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

            async Task<string> CompleteAsync(string mode)
            {
                var body = new
                {
                    model = "stories260K",
                    temperature = 0,
                    max_tokens = 40,
                    messages = new[] { new { role = "user", content = Prompt } },
                    pad = new { mode, preferences = new[] { new { text = Frog, weight = 0.5 } } },
                };
                HttpResponseMessage response = await http.PostAsJsonAsync("/v1/chat/completions", body);
                string json = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, json);
                return JsonDocument.Parse(json).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            }

            string rewardModel = await CompleteAsync("reward_model");
            string self = await CompleteAsync("self");

            using ILanguageModel story = new Llama2cModelLoader().Load(TestData.StoriesFolder);
            using ILanguageModel rm = new Llama2cModelLoader().Load(persrm);
            GenerationResult expected = PadDecoder.Generate(PadPrompts.CreateRawRequest(
                story, Prompt, [new Preference(Frog, 0.5f)], new GenerationOptions { MaxTokens = 40 }, RewardMode.RewardModel, rm));
            Assert.Equal(expected.Text, rewardModel);
            Assert.NotEqual(self, rewardModel);
        }
    }
}
