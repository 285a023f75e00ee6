using System.ComponentModel;
using System.Globalization;

namespace PadKernel.Alignment;

/// <summary>
/// The names of <see cref="RewardMode"/> that configuration, request options and the HTTP protocol use: <c>self</c> and
/// <c>reward_model</c> (the enum's own names are accepted too, case-insensitively). The one place those names live.
/// </summary>
public sealed class RewardModeConverter : EnumConverter
{
    /// <summary>The name of <see cref="RewardMode.SelfContrast"/>.</summary>
    public const string SelfName = "self";

    /// <summary>The name of <see cref="RewardMode.RewardModel"/>.</summary>
    public const string RewardModelName = "reward_model";

    /// <summary>Initializes a new instance of the <see cref="RewardModeConverter"/> class.</summary>
    public RewardModeConverter()
        : base(typeof(RewardMode))
    {
    }

    /// <summary>Returns the name of a mode: <c>self</c> or <c>reward_model</c>.</summary>
    public static string ToName(RewardMode mode) => mode == RewardMode.RewardModel ? RewardModelName : SelfName;

    /// <summary>Reads a mode name: <c>self</c> or <c>reward_model</c>, or the enum's names, case-insensitively.</summary>
    /// <returns>Whether <paramref name="text"/> names a mode.</returns>
    public static bool TryParse(string? text, out RewardMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case SelfName or "selfcontrast":
                mode = RewardMode.SelfContrast;
                return true;
            case RewardModelName or "rewardmodel":
                mode = RewardMode.RewardModel;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? TryParse(text, out RewardMode mode) ? mode : throw new FormatException($"'{text}' is not a reward mode; expected '{SelfName}' or '{RewardModelName}'.")
            : base.ConvertFrom(context, culture, value);

    /// <inheritdoc/>
    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        value is RewardMode mode && destinationType == typeof(string) ? ToName(mode) : base.ConvertTo(context, culture, value, destinationType);
}
