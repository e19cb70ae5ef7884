namespace SecureDialogue.Messaging.Publication;

/// <summary>
/// Settings of voluntary publication (section <c>Publication</c>, docs/server.md "Publications").
/// </summary>
internal sealed class PublicationOptions
{
    public const string Section = "Publication";

    /// <summary>
    /// The objection window: how long after it is stored a publication stays off the portal, so that the reviewing
    /// States (who see it in the review's list and log at once) can object through the secretariat. Default zero: no
    /// window, the portal shows a publication as soon as it is stored (P&amp;R 40/41 leave the decision to the State).
    /// </summary>
    public TimeSpan ObjectionWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Valid cosignatures by members' devices that the record's checkpoint must carry (docs/protocol.md 18.5, check 10).
    /// Default 1: the publisher's client cosigns the checkpoint it proves the item against.
    /// </summary>
    public int MinimumCosignatures { get; set; } = 1;

    /// <summary>Rejects negative values.</summary>
    internal sealed class Validator : Microsoft.Extensions.Options.IValidateOptions<PublicationOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, PublicationOptions options) =>
            options.ObjectionWindow < TimeSpan.Zero || options.MinimumCosignatures is < 0 or > 64
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Publication:ObjectionWindow must not be negative and Publication:MinimumCosignatures is 0 to 64.")
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
