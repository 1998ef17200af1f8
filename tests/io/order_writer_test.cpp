// Orders as a blotter and as FIX 4.4 NewOrderSingle messages (keel/io/order_writer.h): the
// message's body length and checksum counted by hand.
#include "keel/io/order_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keel/core/error.h"

namespace keel::io {
namespace {

TEST(OrderWriter, FixNewOrderSingleByHand) {
  const std::vector<Order> orders{{"AAPL", true, 100, std::nullopt, 169.01, 16901.0, ""},
                                  {"MSFT", false, 25.5, 81.25, 81.3, 2073.15, "U123"}};
  FixOptions o;
  o.sender = "KEEL";
  o.target = "BRK";
  o.sending_time = "20171206-21:00:00.000";
  const std::string out = fix_new_order_singles(orders, o);
  // The first message's body, SOH shown as |:
  //   35=D|49=KEEL|56=BRK|34=1|52=20171206-21:00:00.000|11=keel-1|21=1|55=AAPL|54=1|
  //   60=20171206-21:00:00.000|38=100|40=1|59=0|
  // 5 + 8 + 7 + 5 + 25 + 10 + 5 + 8 + 5 + 25 + 7 + 5 + 5 = 120 bytes.
  const std::string soh(1, '\x01');
  auto m = [&](std::initializer_list<const char*> fields) {
    std::string s;
    for (const char* f : fields) s += std::string(f) + soh;
    return s;
  };
  const std::string body1 = m({"35=D", "49=KEEL", "56=BRK", "34=1", "52=20171206-21:00:00.000", "11=keel-1", "21=1",
                               "55=AAPL", "54=1", "60=20171206-21:00:00.000", "38=100", "40=1", "59=0"});
  ASSERT_EQ(body1.size(), 120u);
  const std::string head1 = "8=FIX.4.4" + soh + "9=120" + soh + body1;
  // The checksum: the byte sum of head1 modulo 256 (summed by Python: sum(head1.encode()) % 256 = 170).
  EXPECT_EQ(fix_checksum(head1), "170");
  const std::string first = head1 + "10=170" + soh + "\n";
  ASSERT_GE(out.size(), first.size());
  EXPECT_EQ(out.substr(0, first.size()), first);
  // The second: a limit sell of 25.5 at 81.25 for account U123, sequence 2.
  const std::string body2 = m({"35=D", "49=KEEL", "56=BRK", "34=2", "52=20171206-21:00:00.000", "11=keel-2", "1=U123",
                               "21=1", "55=MSFT", "54=2", "60=20171206-21:00:00.000", "38=25.5", "40=2", "44=81.25",
                               "59=0"});
  const std::string head2 = "8=FIX.4.4" + soh + "9=" + std::to_string(body2.size()) + soh + body2;
  EXPECT_EQ(out.substr(first.size()), head2 + "10=" + fix_checksum(head2) + soh + "\n");
}

TEST(OrderWriter, RefusesWhatAFixSessionCannotCarry) {
  FixOptions o;
  o.sending_time = "2017-12-06";
  EXPECT_THROW(fix_new_order_singles({}, o), Error);
  o.sending_time = "20171206-21:00:00.000";
  const std::vector<Order> soh_symbol{{std::string("AA\x01") + "PL", true, 1, std::nullopt, 1, 1, ""}};
  EXPECT_THROW(fix_new_order_singles(soh_symbol, o), Error);
  const std::vector<Order> zero{{"AAPL", true, 0, std::nullopt, 1, 0, ""}};
  EXPECT_THROW(fix_new_order_singles(zero, o), Error);
}

TEST(OrderWriter, FixTimeIsUtcToTheMillisecond) {
  // 2017-12-06 is day 17,506 since 1970-01-01: 17,506 x 86,400 s, then 21:00:00.042.
  const std::chrono::system_clock::time_point t{std::chrono::milliseconds(17506LL * 86400000 + 21 * 3600000 + 42)};
  EXPECT_EQ(fix_time(t), "20171206-21:00:00.042");
}

TEST(OrderWriter, TheBlotterIsGuardedCsv) {
  const std::vector<Order> orders{{"AAPL", true, 100, std::nullopt, 169.01, 16901.0, ""},
                                  {"=HYPERLINK(\"x\")", false, 2, 10.0, 10.5, 21.0, "acct,1"}};
  EXPECT_EQ(orders_csv(orders),
            "symbol,side,quantity,order_type,limit_price,reference_price,amount,account\n"
            "AAPL,buy,100,market,,169.01,16901.00,\n"
            "\"'=HYPERLINK(\"\"x\"\")\",sell,2,limit,10,10.5,21.00,\"acct,1\"\n");
}

}  // namespace
}  // namespace keel::io
