using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PadKernel.Alignment;
using PadKernel.Extensions.AI;
using PadKernel.Preferences;
using PadKernel.Server.Authentication;
using PadKernel.Server.Configuration;
using PadKernel.Server.Errors;
using PadKernel.Server.Generation;
using PadKernel.Server.Protocol;

namespace PadKernel.Server.Endpoints;

/// <summary>
/// <c>GET/PUT/DELETE /v1/users/{id}/preferences</c> over the preference store. A key reaches only its own user's
/// list (an admin key reaches every list); PUT replaces the whole list atomically (<see cref="IPreferenceStore.ReplaceAsync"/>).
/// </summary>
internal sealed class PreferencesEndpoints(
    IPreferenceStore store,
    ChatRequestTranslator translator,
    IOptions<PadServerOptions> options)
{
    private const int MaxUserIdLength = 256;

    public async Task GetAsync(HttpContext context, string id)
    {
        Authorize(context, id);
        IReadOnlyList<StoredPreference> list = await store.ListAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WriteListAsync(context, id, list).ConfigureAwait(false);
    }

    public async Task PutAsync(HttpContext context, string id)
    {
        Authorize(context, id);
        PreferencesPutRequest body = await RequestBodyReader.ReadAsync(
            context.Request, ServerJsonContext.Wire.PreferencesPutRequest, options.Value.Limits.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        List<PadPreference> wanted = body.Preferences
            ?? throw ApiException.InvalidRequest("'preferences' is required: the user's whole new list (an empty array clears it).", "preferences", "missing_required_parameter");
        translator.CheckPreferences(wanted, "preferences");

        // One atomic replacement in the store: readers (generations included) see the old list or the new one.
        IReadOnlyList<StoredPreference> result;
        try
        {
            result = await store.ReplaceAsync(
                id, wanted.Select(p => p.ToPreference(defaultWeight: 1f)).ToList(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // The store's own rules (for example two texts that differ only in a case the check above does not fold).
            throw ApiException.InvalidRequest(GenerationErrors.ToApiError(e)!.Message, "preferences", "invalid_value");
        }
        await WriteListAsync(context, id, result).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, string id)
    {
        Authorize(context, id);
        int deleted = await store.ClearAsync(id, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = "application/json";
        await System.Text.Json.JsonSerializer.SerializeAsync(
            context.Response.Body, new PreferencesDeletedResponse { User = id, Deleted = deleted }, ServerJsonContext.Wire.PreferencesDeletedResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static void Authorize(HttpContext context, string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxUserIdLength)
        {
            throw ApiException.InvalidRequest($"A user id must be 1 to {MaxUserIdLength} characters.", "id", "invalid_value");
        }

        PreferenceText.ValidateUserId(id, "id");

        if (!ApiCaller.FromPrincipal(context.User).MayActAs(id))
        {
            throw ApiException.Forbidden($"This API key cannot read or change the preferences of user '{id}'.");
        }
    }

    private static Task WriteListAsync(HttpContext context, string id, IReadOnlyList<StoredPreference> list)
    {
        var body = new PreferenceListResponse
        {
            User = id,
            Data = list.Select(p => new PreferenceDto
            {
                Id = p.Id,
                Text = p.Text,
                Weight = p.Weight,
                CreatedAt = p.CreatedAt.ToUnixTimeSeconds(),
                UpdatedAt = p.UpdatedAt.ToUnixTimeSeconds(),
            }).ToList(),
        };
        context.Response.ContentType = "application/json";
        return System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, ServerJsonContext.Wire.PreferenceListResponse, context.RequestAborted);
    }
}
