use super::{Piece, Strings};

// The customer notice's words: "Thời gian phản hồi: tối đa hai ngày làm việc", a reply "chậm
// nhất vào" its date (the date itself included), a request is a "yêu cầu".
pub(super) static STRINGS: Strings = Strings {
    title: "Liên hệ bộ phận hỗ trợ",
    loading: "Đang tải biểu mẫu liên hệ…",
    unavailable: "Biểu mẫu liên hệ hiện không khả dụng. Vui lòng thử lại sau.",
    desks_legend: "Bạn cần hỗ trợ về vấn đề gì?",
    reply_within: |n| format!("Thời gian phản hồi: tối đa {} ngày làm việc", count(n)),
    locked_sign_in: "Hãy đăng nhập để dùng bộ phận này.",
    sign_in_link: "Đăng nhập",
    locked_paid: "Dành cho các gói trả phí.",
    locked_plans: |plans| format!("Dành cho {plans}."),
    plan_name: |name| {
        // The catalog may name a plan "Gói Kinh doanh" or just "Pro".
        let first = name.split_whitespace().next().unwrap_or_default();
        if first.to_lowercase() == "gói" {
            name.to_owned()
        } else {
            format!("gói {name}")
        }
    },
    plans_link: "Xem các gói",
    more_desks_sign_in: "Hãy đăng nhập để xem mọi bộ phận dành cho gói của bạn.",
    more_desks_paid: "Có thêm bộ phận dành cho các gói trả phí.",
    more_desks_plans: "Có thêm bộ phận dành cho các gói khác.",
    no_desk_open: "Hiện chưa có bộ phận nào dành cho bạn.",
    and: " và ",
    list_separator: ", ",
    sentence_gap: " ",
    choose_desk_first: "Hãy chọn một bộ phận để biết khi nào bạn sẽ nhận được phản hồi.",
    expected_reply: &[Piece::Text("Phản hồi chậm nhất vào "), Piece::Date],
    rule: |n, excluded| match excluded {
        Some(excluded) => format!("Tối đa {} ngày làm việc, không tính {excluded}.", count(n)),
        None => format!("Tối đa {} ngày; ngày nào cũng được tính.", count(n)),
    },
    weekends: "cuối tuần",
    weekdays: ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"],
    weekday_plural: |day| format!("các ngày {day}"),
    jp_holidays: "ngày lễ của Nhật Bản",
    closure_days: "ngày nghỉ của bộ phận hỗ trợ",
    skipped_intro: "Không tính:",
    skipped_reason_separator: " — ",
    weekend_day: "cuối tuần",
    desk_day_behind: |date, zone| {
        format!("Ở bộ phận hỗ trợ ({zone}) vẫn còn là {date}, nên yêu cầu của bạn được tính là nhận vào ngày đó.")
    },
    desk_day_ahead: |date, zone| {
        format!("Ở bộ phận hỗ trợ ({zone}) đã là {date}, nên yêu cầu của bạn được tính là nhận vào ngày đó.")
    },
    no_reply_date: "Bộ phận này hiện chưa thể cho biết ngày phản hồi.",
    email: "Email",
    name: "Họ tên",
    subject: "Tiêu đề",
    message: "Nội dung",
    required: "bắt buộc",
    optional: "không bắt buộc",
    email_hint: "Chúng tôi sẽ phản hồi qua địa chỉ này.",
    char_count: |used, max| format!("{used}/{max} ký tự"),
    missing: "Vui lòng điền mục này.",
    not_an_email: "Vui lòng nhập địa chỉ email, ví dụ name@example.com.",
    too_long: |max, chars| format!("Vui lòng rút ngắn còn tối đa {max} ký tự (hiện có {chars} ký tự)."),
    desk_missing: "Vui lòng chọn một bộ phận.",
    send: "Gửi",
    sending_not_set_up: "Trang này chưa được thiết lập để gửi: nội dung bạn nhập không rời khỏi trình duyệt này.",
    not_sent: "Yêu cầu chưa được gửi vì trang này chưa được thiết lập để gửi. Bản nháp vẫn được lưu trong trình duyệt này.",
    fix_problems: |n| format!("Vui lòng sửa {n} mục."),
    account_hint: "Lấy từ tài khoản của bạn. Chúng tôi sẽ phản hồi qua địa chỉ này.",
    session_failed: "Chúng tôi không kiểm tra được bạn đã đăng nhập hay chưa, nên chỉ hiển thị các bộ phận dành cho mọi người.",
    sign_in_again: "Đăng nhập",
    try_again: "Thử lại",
    sending: "Đang gửi…",
    sending_now: "Đang gửi yêu cầu của bạn…",
    unreachable: "Chưa gửi được: không kết nối được với bộ phận hỗ trợ. Yêu cầu của bạn vẫn được giữ.",
    server_error: "Chưa gửi được: bộ phận hỗ trợ gặp sự cố. Yêu cầu của bạn vẫn được giữ.",
    retrying_in: |n| format!("Sẽ thử lại sau {n} giây."),
    held_offline: "Bạn đang ngoại tuyến. Yêu cầu được giữ lại và sẽ được gửi khi có mạng trở lại.",
    try_now: "Thử ngay",
    sent_notice: &[
        Piece::Strong("Đã gửi."),
        Piece::Text(" Mã yêu cầu của bạn là "),
        Piece::Ticket,
        Piece::Text(". Chúng tôi sẽ phản hồi chậm nhất vào "),
        Piece::Date,
        Piece::Text("."),
    ],
    refused_desk: "Tài khoản của bạn không thể gửi yêu cầu đến bộ phận này.",
    sign_in_lost: "Chúng tôi không xác nhận được bạn đã đăng nhập nên tin nhắn chưa được gửi. Vui lòng đăng nhập lại rồi nhấn Gửi. Nội dung bạn nhập vẫn được giữ.",
    refused_malformed: "Bộ phận hỗ trợ không đọc được yêu cầu. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
    refused_not_found: "Chưa gửi được: không tìm thấy địa chỉ của bộ phận hỗ trợ trên trang này. Nội dung bạn nhập vẫn được giữ. Vui lòng thử lại sau.",
    refused_key_conflict: "Bộ phận hỗ trợ đã nhận một yêu cầu khác từ biểu mẫu này. Hãy nhấn Gửi để gửi yêu cầu này như một yêu cầu mới. Nội dung bạn nhập vẫn được giữ.",
    too_large: "Yêu cầu quá lớn để gửi. Vui lòng rút gọn nội dung.",
    refused_media_type: "Bộ phận hỗ trợ không chấp nhận định dạng mà trang này gửi. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
    refused_elsewhere: "Bộ phận hỗ trợ không chấp nhận một số thông tin mà trang này gửi. Vui lòng tải lại trang và gửi lại. Nội dung bạn nhập vẫn được giữ.",
    rate_limited: |n| format!("Bạn đã gửi quá nhiều tin nhắn. Vui lòng thử lại sau {n} phút. Nội dung bạn nhập vẫn được giữ."),
    refused_status: |status| format!("Bộ phận hỗ trợ không nhận yêu cầu (HTTP {status}). Nội dung bạn nhập vẫn được giữ."),
    honeypot_label: "Để trống mục này",
};

/// A count of days as the notice writes it: in words up to ten ("hai ngày"), in digits above.
fn count(n: u32) -> String {
    const WORDS: [&str; 10] = [
        "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười",
    ];
    match n {
        1..=10 => WORDS[n as usize - 1].to_owned(),
        n => n.to_string(),
    }
}
