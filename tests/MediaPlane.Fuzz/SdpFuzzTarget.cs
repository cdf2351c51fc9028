using System.Net;
using Gateway.Sdp;

namespace MediaPlane.Fuzz;

/// <summary>SDP offer parsing, negotiation in both modes, and answer writing for whatever negotiates.</summary>
public sealed class SdpFuzzTarget : IFuzzTarget
{
    private static readonly LocalSdpParameters Local = new("fuzz", "abcdefghijklmnopqrstuvwxyz",
        new SdpFingerprint("sha-256", new byte[32]), IPAddress.Loopback, 7882);

    public string Name => "sdp";

    public void Run(ReadOnlySpan<byte> input)
    {
        var parsed = SdpParser.ParseCore(input, SdpLimits.Default);
        if (!parsed.Success)
            return;
        foreach (var mode in new[] { NegotiationMode.Publish, NegotiationMode.Subscribe })
        {
            var result = SdpNegotiator.NegotiateCore(parsed.Description, mode, ServerCapabilities.Default, null);
            if (result.Success && !SdpParser.ParseCore(SdpAnswerWriter.Write(result.Session, Local), SdpLimits.Default).Success)
                throw new InvalidOperationException("our own answer does not parse");
        }
    }
}
