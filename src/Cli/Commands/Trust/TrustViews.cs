using SecureDialogue.Cli.Output;
using SecureDialogue.Client.Trust;

namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>What <c>sdlg members</c> prints: every member, device, who certified whom, revocations, the States' roots.</summary>
internal sealed record MembersView(Guid Review, IReadOnlyList<MemberLine> Members, IReadOnlyList<FocalPointLine> FocalPoints, IReadOnlyList<string> Alerts)
{
    public static MembersView Of(ReviewMembersView view) => new(
        view.ReviewId,
        [.. view.Members.Select(m => new MemberLine(m.AccountId, m.DisplayName, m.StateCode, Names.Kebab(m.Role),
            [.. m.Devices.Select(d => new DeviceLine(d.DeviceId, d.Fingerprint, Names.Kebab(d.Trust), d.Role is { } r ? Names.Kebab(r) : null, d.History,
                d.CertifiedBy, d.CertifierDevice, d.Sequence, d.Reference, d.RevokedFor is { } why ? Names.Kebab(why) : null))]))],
        [.. view.FocalPoints.Select(f => new FocalPointLine(f.StateCode, f.DisplayName, f.DeviceId, f.Fingerprint, f.Nomination,
            f.Pinned is { } how ? Names.Kebab(how) : "not-trusted"))],
        [.. view.Alerts.Select(a => a.Message)]);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Review {Review}");
        writer.WriteLine("Focal points (trust roots):");
        foreach (var root in FocalPoints)
        {
            writer.WriteLine($"  {root.State}  {root.Name}  device {root.DeviceId}  [{root.Trust}]  nomination {(root.Nomination.Length == 0 ? "-" : root.Nomination)}");
            writer.WriteLine($"       fingerprint {root.Fingerprint}");
        }

        writer.WriteLine("Members:");
        foreach (var member in Members)
        {
            writer.WriteLine($"  {member.State ?? "-",-4} {member.Name} ({member.Role})");
            foreach (var device in member.Devices)
            {
                var detail = device.Trust switch
                {
                    "focal-point" => "focal point's device (trust root)",
                    "certified" => $"certified as {device.Role} by {device.CertifiedBy} (#{device.Sequence}{(device.History ? ", history" : ", no history")}{(string.IsNullOrEmpty(device.Reference) ? "" : $", ref {device.Reference}")})",
                    "revoked" => $"REVOKED ({device.RevokedFor})",
                    "own" => device.Role is null ? "this device, NOT certified" : $"this device, certified as {device.Role} by {device.CertifiedBy}",
                    _ => "NOT certified: gets no key",
                };
                writer.WriteLine($"       {device.DeviceId}  {detail}");
                writer.WriteLine($"         fingerprint {device.Fingerprint}");
            }
        }

        foreach (var alert in Alerts)
        {
            writer.WriteLine($"! {alert}");
        }
    }
}

internal sealed record MemberLine(Guid AccountId, string Name, string? State, string Role, IReadOnlyList<DeviceLine> Devices);

internal sealed record DeviceLine(
    string DeviceId, string Fingerprint, string Trust, string? Role, bool History, string? CertifiedBy, string? CertifierDevice, ulong? Sequence,
    string? Reference, string? RevokedFor);

internal sealed record FocalPointLine(string State, string Name, string DeviceId, string Fingerprint, string Nomination, string Trust);

/// <summary>What <c>certify</c>, <c>revoke</c> and <c>members accept</c> print.</summary>
internal sealed record TrustActionView(Guid Review, string Action, string DeviceId, string? Name, string? State, string Fingerprint, string? Role, ulong? Sequence)
{
    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"{Action} device {DeviceId}{(Name is null ? "" : $" of {Name}")}{(State is null ? "" : $" ({State})")}{(Role is null ? "" : $" as {Role}")}{(Sequence is null ? "" : $", statement #{Sequence}")}");
        writer.WriteLine($"Fingerprint: {Fingerprint}");
    }
}
