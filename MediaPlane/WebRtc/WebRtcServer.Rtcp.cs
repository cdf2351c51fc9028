using MediaPlane.Routing;

namespace MediaPlane.WebRtc;

// RTCP: feedback from subscribers reaches publishers or is answered here; we report to both sides.
public sealed partial class WebRtcServer
{
    private void OnRtcp(WebRtcSession session, ReadOnlySpan<byte> compound)
    {
    }

    private void SendPictureLossIndication(Producer producer)
    {
    }

    private void SendReports()
    {
    }
}
